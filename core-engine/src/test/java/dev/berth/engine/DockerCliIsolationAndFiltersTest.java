package dev.berth.engine;

import dev.berth.engine.network.NetworkIsolation;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker's network isolation with the real docker CLI: containers on two user bridge networks (and
 * the default bridge) cannot reach each other, yet reach their own peers by name and the outside
 * through NAT; the isolation rules of a network go with {@code network rm}; a renamed container
 * is resolved by its new name only; {@code docker ps} and {@code docker events} filters with moby's
 * semantics; {@code --runtime}. Devices bf3, bf3a, bf3b (+ the veth bf3v0/bf3v1 standing in
 * for the outside world), subnets 10.73.0.0/24 .. 10.73.9.0/24.
 */
class DockerCliIsolationAndFiltersTest {
    private static final List<String> DEVICES = List.of("bf3", "bf3a", "bf3b", "bf3v0");
    private static final String OUTSIDE_NS = "fix3out";

    static BusyboxOnBerth engine;
    static String ref;
    static boolean chainsExistedBefore;
    static final Map<String, Set<String>> chainsBefore = new HashMap<>();
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("ip");
        Processes.requireBinary("iptables");
        if (!Files.isExecutable(Path.of("/usr/lib/cni/bridge"))) {
            String msg = "containernetworking-plugins is not installed";
            if ("true".equals(System.getenv("CI"))) {
                org.junit.jupiter.api.Assertions.fail(msg);
            }
            Assumptions.abort(msg);
        }
        deleteDevices();
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, CniChains.chains(table));
        }
        chainsExistedBefore = chainsBefore.get("filter").contains(NetworkIsolation.STAGE1);
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge("bf3", "10.73.0.0/24"), config);
        ref = engine.ref();
    }

    @AfterEach
    void cleanUp() {
        engine.daemon().removeAllContainers(config);
        docker("network", "prune", "-f");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            deleteDevices();
            for (String d : List.of("bf3", "bf3a", "bf3b")) {
                NetworkIsolation.release(d);
            }
            if (!chainsExistedBefore) {
                removeIsolationChainsIfEmpty();
            }
            for (String table : List.of("nat", "filter")) {
                if (chainsBefore.containsKey(table)) {
                    CniChains.removeCreated(table, chainsBefore.get(table));
                }
            }
        }
    }

    private static void removeIsolationChainsIfEmpty() {
        for (String chain : List.of(NetworkIsolation.STAGE1, NetworkIsolation.STAGE2)) {
            if (Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-S", chain).stdout().lines()
                    .anyMatch(l -> l.startsWith("-A "))) {
                return;
            }
        }
        while (Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-D", "FORWARD", "-j", NetworkIsolation.STAGE1)
                .exitCode() == 0) {
            // one copy gone
        }
        for (String chain : List.of(NetworkIsolation.STAGE1, NetworkIsolation.STAGE2)) {
            Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-X", chain);
        }
    }

    private static void deleteDevices() {
        for (String d : DEVICES) {
            if (Files.exists(Path.of("/sys/class/net", d))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", d);
            }
        }
        if (Files.exists(Path.of("/run/netns", OUTSIDE_NS))) {
            Processes.run(Map.of(), null, 10, "ip", "netns", "del", OUTSIDE_NS);
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    private static void create(String name, String subnet, String device) {
        docker("network", "create", "--subnet", subnet, "-o", "com.docker.network.bridge.name=" + device, name).assertOk();
    }

    /** Runs a busybox shell script in a container to its end; returns exit code and output. */
    private static String[] runScript(String network, String script) {
        String id = docker("run", "-d", "--network", network, ref, "sh", "-c", script).assertOk().stdout().strip();
        String code = docker("wait", id).assertOk().stdout().strip();
        Processes.Result logs = docker("logs", id);
        return new String[] {code, logs.stdout() + logs.stderr()};
    }

    private static String isolationRules() {
        return Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-S", NetworkIsolation.STAGE1).stdout()
                + Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-S", NetworkIsolation.STAGE2).stdout();
    }

    /**
     * A stand-in for the outside world: a namespace at 10.73.9.2 behind a veth, with no route back
     * to any container subnet, so it can only answer a container whose packets were masqueraded.
     */
    private static void outsideWorld() {
        sh("ip", "netns", "add", OUTSIDE_NS);
        sh("ip", "link", "add", "bf3v0", "type", "veth", "peer", "name", "bf3v1", "netns", OUTSIDE_NS);
        sh("ip", "addr", "add", "10.73.9.1/24", "dev", "bf3v0");
        sh("ip", "link", "set", "bf3v0", "up");
        sh("ip", "netns", "exec", OUTSIDE_NS, "ip", "addr", "add", "10.73.9.2/24", "dev", "bf3v1");
        sh("ip", "netns", "exec", OUTSIDE_NS, "ip", "link", "set", "bf3v1", "up");
        sh("ip", "netns", "exec", OUTSIDE_NS, "ip", "link", "set", "lo", "up");
    }

    private static void sh(String... cmd) {
        Processes.run(Map.of(), null, 30, cmd).assertOk();
    }

    @Test
    void userNetworksAreIsolatedFromEachOtherButReachPeersAndTheOutside() {
        outsideWorld();
        create("fix3-a", "10.73.1.0/24", "bf3a");
        create("fix3-b", "10.73.2.0/24", "bf3b");
        docker("run", "-d", "--name", "fix3-a1", "--network", "fix3-a", "--ip", "10.73.1.50", ref, "sleep", "300").assertOk();
        docker("run", "-d", "--name", "fix3-b1", "--network", "fix3-b", "--ip", "10.73.2.50", ref, "sleep", "300").assertOk();
        docker("run", "-d", "--name", "fix3-d1", ref, "sleep", "300").assertOk();
        String d1 = docker("inspect", "-f", "{{.NetworkSettings.IPAddress}}", "fix3-d1").assertOk().stdout().strip();
        assertTrue(d1.startsWith("10.73.0."), d1);

        String rules = isolationRules();
        for (String dev : List.of("bf3", "bf3a", "bf3b")) {
            assertTrue(rules.contains("-A " + NetworkIsolation.STAGE1 + " -i " + dev + " ! -o " + dev + " -j " + NetworkIsolation.STAGE2), rules);
            assertTrue(rules.contains("-A " + NetworkIsolation.STAGE2 + " -o " + dev + " -j DROP"), rules);
        }
        String forward = Processes.run(Map.of(), null, 30, "iptables", "-w", "10", "-S", "FORWARD").assertOk().stdout();
        assertEquals("-A FORWARD -j " + NetworkIsolation.STAGE1,
                forward.lines().filter(l -> l.startsWith("-A ")).findFirst().orElse(""), "the isolation jump comes first:\n" + forward);

        String[] a = runScript("fix3-a", "ping -c1 -W2 fix3-a1 || exit 2; ping -c1 -W2 10.73.9.2 || exit 3; "
                + "if ping -c1 -W1 10.73.2.50; then exit 4; fi; if ping -c1 -W1 " + d1 + "; then exit 5; fi; echo done");
        assertEquals("0", a[0], "peer by name and the outside reachable, other networks not:\n" + a[1]);
        assertTrue(a[1].contains("done"), a[1]);

        String[] b = runScript("fix3-b", "ping -c1 -W2 fix3-b1 || exit 2; if ping -c1 -W1 10.73.1.50; then exit 4; fi; echo done");
        assertEquals("0", b[0], b[1]);
        String[] d = runScript("bridge", "ping -c1 -W2 10.73.9.2 || exit 3; if ping -c1 -W1 10.73.1.50; then exit 4; fi; echo done");
        assertEquals("0", d[0], "the default bridge is isolated too:\n" + d[1]);

        docker("rm", "-f", "fix3-a1").assertOk();
        docker("network", "rm", "fix3-a").assertOk();
        String after = isolationRules();
        assertFalse(after.contains(" bf3a "), "network rm removes its isolation rules:\n" + after);
        assertTrue(after.contains("-o bf3b -j DROP"), after);
    }

    @Test
    void aRenamedContainerIsResolvedByItsNewNameOnly() {
        create("fix3-r", "10.73.3.0/24", "bf3b");
        docker("run", "-d", "--name", "fix3-old", "--network", "fix3-r", ref, "sleep", "300").assertOk();
        docker("rename", "fix3-old", "fix3-new").assertOk();
        String[] r = runScript("fix3-r", "nslookup fix3-new || exit 2; ping -c1 -W2 fix3-new || exit 3; "
                + "if nslookup fix3-old; then exit 4; fi; echo done");
        assertEquals("0", r[0], r[1]);
        assertTrue(r[1].contains("done"), r[1]);
    }

    private static List<String> ps(String... filters) {
        List<String> args = new java.util.ArrayList<>(List.of("ps", "--format", "{{.Names}}"));
        for (String f : filters) {
            if (f.equals("-a")) {
                args.add("-a");
            } else {
                args.add("--filter");
                args.add(f);
            }
        }
        return docker(args.toArray(String[]::new)).assertOk().stdout().lines().filter(l -> l.startsWith("fix3-")).toList();
    }

    @Test
    void psFiltersNarrowLikeMoby() throws Exception {
        int port;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            port = s.getLocalPort();
        }
        create("fix3-ln", "10.73.4.0/24", "bf3a");
        docker("run", "-d", "--name", "fix3-l1", "--network", "fix3-ln", "-v", "fix3-vol:/data", "-p", port + ":80",
                "--expose", "9999", ref, "sleep", "300").assertOk();
        docker("run", "-d", "--name", "fix3-l2", ref, "sleep", "300").assertOk();
        docker("create", "--name", "fix3-l3", ref, "true").assertOk();
        try {
            assertEquals(List.of("fix3-l3", "fix3-l2"), ps("-a", "since=fix3-l1"));
            assertEquals(List.of("fix3-l2"), ps("since=fix3-l1"), "since without -a keeps to running containers");
            assertEquals(List.of("fix3-l2", "fix3-l1"), ps("-a", "before=fix3-l3"));
            String l2 = docker("inspect", "-f", "{{.Id}}", "fix3-l2").assertOk().stdout().strip();
            assertEquals(List.of("fix3-l1"), ps("-a", "before=" + l2.substring(0, 12)));
            Processes.Result missing = docker("ps", "--filter", "before=fix3-nobody");
            assertTrue(missing.exitCode() != 0 && missing.stderr().contains("No such container: fix3-nobody"), missing.stderr());

            assertEquals(List.of("fix3-l1"), ps("-a", "volume=fix3-vol"));
            assertEquals(List.of("fix3-l1"), ps("-a", "volume=/data"));
            assertEquals(List.of(), ps("-a", "volume=fix3-other"));

            assertEquals(List.of("fix3-l1"), ps("network=fix3-ln"));
            String netId = docker("network", "inspect", "-f", "{{.Id}}", "fix3-ln").assertOk().stdout().strip();
            assertEquals(List.of("fix3-l1"), ps("network=" + netId.substring(0, 10)));
            assertEquals(List.of("fix3-l2"), ps("network=bridge"));

            assertEquals(List.of("fix3-l1"), ps("publish=" + port));
            assertEquals(List.of("fix3-l1"), ps("publish=" + port + "/tcp"));
            assertEquals(List.of(), ps("publish=" + port + "/udp"));
            assertEquals(List.of("fix3-l1"), ps("expose=80"));
            assertEquals(List.of("fix3-l1"), ps("expose=9990-10000/tcp"));
            assertEquals(List.of(), ps("expose=9998"));
            Processes.Result badPort = docker("ps", "--filter", "publish=x80");
            assertTrue(badPort.exitCode() != 0 && badPort.stderr().contains("invalid port range"), badPort.stderr());

            assertEquals(List.of("fix3-l3", "fix3-l2", "fix3-l1"), ps("-a", "health=none"));
            assertEquals(List.of(), ps("-a", "health=healthy"));
            Processes.Result badHealth = docker("ps", "--filter", "health=fine");
            assertTrue(badHealth.exitCode() != 0 && badHealth.stderr().contains("Unrecognised filter value for health: fine"),
                    badHealth.stderr());

            String imageId = docker("image", "inspect", "-f", "{{.Id}}", ref).assertOk().stdout().strip();
            docker("tag", ref, "fix3-tag:v1").assertOk();
            docker("run", "--name", "fix3-w", "--network", "none", ref, "sh", "-c", "echo x > /fix3-file").assertOk();
            docker("commit", "fix3-w", "fix3-child:1").assertOk();
            docker("create", "--name", "fix3-l5", "fix3-child:1", "true").assertOk();
            List<String> all = List.of("fix3-l5", "fix3-w", "fix3-l3", "fix3-l2", "fix3-l1");
            assertEquals(all, ps("-a", "ancestor=" + ref), "the image and the images built on it");
            assertEquals(all, ps("-a", "ancestor=fix3-tag:v1"), "any tag of the image");
            assertEquals(all, ps("-a", "ancestor=" + imageId.replace("sha256:", "").substring(0, 12)), "a short image id");
            assertEquals(all, ps("-a", "ancestor=" + imageId));
            assertEquals(List.of("fix3-l5"), ps("-a", "ancestor=fix3-child:1"));
            assertEquals(List.of(), ps("-a", "ancestor=fix3-child"), "a name without a tag means :latest, which does not exist");
            assertEquals(List.of(), ps("-a", "ancestor=fix3-nosuch:1"));
        } finally {
            engine.daemon().removeAllContainers(config);
            docker("volume", "rm", "fix3-vol");
            docker("rmi", "fix3-child:1", "fix3-tag:v1");
        }
    }

    @Test
    void runtimeRuncIsKnownAndAnUnknownRuntimeIsA400() {
        docker("run", "--name", "fix3-rt", "--network", "none", "--runtime", "runc", ref, "true").assertOk();
        assertEquals("runc 0", docker("inspect", "-f", "{{.HostConfig.Runtime}} {{.State.ExitCode}}", "fix3-rt").assertOk()
                .stdout().strip());
        docker("create", "--name", "fix3-rt-default", "--network", "none", ref, "true").assertOk();
        assertEquals("runc", docker("inspect", "-f", "{{.HostConfig.Runtime}}", "fix3-rt-default").assertOk().stdout().strip());
        Processes.Result bad = docker("run", "--name", "fix3-rt-bad", "--network", "none", "--runtime", "fix3-nosuch", ref, "true");
        assertTrue(bad.exitCode() != 0, bad.stdout());
        assertTrue(bad.stderr().contains("Unknown runtime specified fix3-nosuch"), bad.stderr());
        assertTrue(docker("inspect", "fix3-rt-bad").stderr().contains("No such"), "nothing was created");
    }

    @Test
    void eventFiltersAndSinceUntilFollowMoby() {
        long since = System.currentTimeMillis() / 1000 - 1;
        docker("volume", "create", "--label", "fix3.ev=yes", "fix3-evvol").assertOk();
        docker("run", "--name", "fix3-ev1", "--network", "none", "--label", "fix3.ev=yes", "-v", "fix3-evvol:/v", ref, "true").assertOk();
        docker("run", "--name", "fix3-ev2", "--network", "none", ref, "true").assertOk();
        docker("rm", "fix3-ev1", "fix3-ev2").assertOk();
        docker("volume", "rm", "fix3-evvol").assertOk();
        long until = System.currentTimeMillis() / 1000 + 1;
        java.util.function.Function<String[], List<String>> events = f -> {
            List<String> args = new java.util.ArrayList<>(List.of("events", "--since", Long.toString(since), "--until",
                    Long.toString(until), "--format", "{{.Type}} {{.Action}} {{.Actor.ID}} {{index .Actor.Attributes \"name\"}}"));
            for (String x : f) {
                args.add("--filter");
                args.add(x);
            }
            return docker(args.toArray(String[]::new)).assertOk().stdout().lines()
                    .filter(l -> l.contains("fix3-ev")).toList();
        };
        List<String> ev1 = events.apply(new String[] {"container=fix3-ev1"});
        assertTrue(!ev1.isEmpty() && ev1.stream().allMatch(l -> l.startsWith("container ") && l.contains(" fix3-ev1")), ev1.toString());
        assertTrue(ev1.stream().anyMatch(l -> l.startsWith("container create ")) && ev1.stream().anyMatch(l -> l.startsWith("container destroy ")),
                ev1.toString());
        List<String> both = events.apply(new String[] {"container=fix3-ev", "event=start"});
        assertEquals(2, both.size(), "a name prefix, ANDed with the action: " + both);
        assertTrue(both.stream().allMatch(l -> l.startsWith("container start ")), both.toString());
        List<String> labelled = events.apply(new String[] {"label=fix3.ev=yes"});
        assertTrue(labelled.stream().anyMatch(l -> l.startsWith("container start ")), "the container's labels are in its events: " + labelled);
        assertTrue(labelled.stream().allMatch(l -> l.startsWith("container ") && l.endsWith(" fix3-ev1")), labelled.toString());
        List<String> vol = events.apply(new String[] {"type=volume", "volume=fix3-evvol"});
        assertTrue(vol.stream().anyMatch(l -> l.startsWith("volume create fix3-evvol"))
                && vol.stream().anyMatch(l -> l.startsWith("volume destroy fix3-evvol")), vol.toString());
        assertTrue(vol.stream().allMatch(l -> l.startsWith("volume ")), vol.toString());
        List<String> byImage = events.apply(new String[] {"image=" + ref, "event=die"});
        assertEquals(2, byImage.size(), "container events by their image: " + byImage);
        assertEquals(List.of(), events.apply(new String[] {"type=network"}));
        assertEquals(List.of(), events.apply(new String[] {"daemon=fix3-nodaemon"}));

        Processes.Result badKey = docker("events", "--since", "1", "--until", "2", "--filter", "colour=red");
        assertTrue(badKey.exitCode() != 0 && badKey.stderr().contains("invalid filter 'colour'"), badKey.stderr());
        Processes.Result backwards = docker("events", "--since", Long.toString(until), "--until", Long.toString(since));
        assertTrue(backwards.exitCode() != 0 && backwards.stderr().contains("cannot be after `until`"), backwards.stderr());
        // until alone replays what happened before it and ends; since alone after until is refused above.
        String replay = docker("events", "--until", Long.toString(until), "--filter", "container=fix3-ev1", "--filter", "event=create",
                "--format", "{{.Action}} {{index .Actor.Attributes \"name\"}}").assertOk().stdout();
        assertEquals("create fix3-ev1\n", replay);
        assertEquals("", docker("events", "--since", Long.toString(since), "--until", Long.toString(since),
                "--filter", "container=fix3-ev1").assertOk().stdout(), "nothing in a window before the events");
    }

    /**
     * A container exiting while the daemon shuts down: the exit watcher must not write to the
     * closed catalog ("database connection closed"); the next start records the exit instead.
     */
    @Test
    void anExitDuringShutdownIsRecordedByTheNextStartNotByAWatcherOfAClosedCatalog() throws Exception {
        String id = docker("run", "-d", "--name", "fix3-sd", "--network", "none", ref, "sh", "-c", "sleep 2; exit 3")
                .assertOk().stdout().strip();
        List<java.util.logging.LogRecord> warnings = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.logging.Handler h = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                if (r.getLevel().intValue() >= java.util.logging.Level.WARNING.intValue()) {
                    warnings.add(r);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        java.util.logging.Logger berth = java.util.logging.Logger.getLogger("dev.berth");
        berth.addHandler(h);
        try {
            engine.daemon().stop();
            Path exitFile = engine.daemon().dataRoot().resolve("runtime").resolve("exits").resolve(id);
            long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
            while (!Files.exists(exitFile) && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertTrue(Files.exists(exitFile), "conmon recorded the exit while the daemon was down");
            // A watcher left running would be woken by the exit file at once; give it a moment to misbehave.
            Thread.sleep(500);
        } finally {
            berth.removeHandler(h);
            engine.daemon().restart();
        }
        List<String> messages = warnings.stream().map(r -> r.getMessage() + " " + r.getThrown()).toList();
        assertTrue(messages.stream().noneMatch(m -> m.contains("watching container") || m.contains("closed")), messages.toString());
        String state = "";
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(30);
        while (!state.equals("exited 3") && System.nanoTime() < deadline) {
            state = docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "fix3-sd").assertOk().stdout().strip();
            Thread.sleep(50);
        }
        assertEquals("exited 3", state, "the restarted daemon records the exit");
    }
}
