package dev.berth.cli;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
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
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The berth commands the other CLI tests do not run against a real engine: pause, unpause, rename,
 * restart, commit, cp, export, attach, container/volume/network create-rm-prune. Each checks what the
 * command printed (docker's words) and, through the docker CLI, what it did to the engine.
 */
class BerthLifecycleCommandsTest {
    private static final String NET_BRIDGE = "br98";

    static BusyboxOnBerth engine;
    static String ref;
    static final Map<String, Set<String>> chainsBefore = new HashMap<>();
    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("iptables");
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, CniChains.chains(table));
        }
        engine = BusyboxOnBerth.start(TestDaemon.start(), home.resolve(".docker"));
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.docker("network", "rm", "cli7-lnet");
                engine.close();
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", NET_BRIDGE))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", NET_BRIDGE);
            }
            for (String table : List.of("nat", "filter")) {
                if (chainsBefore.containsKey(table)) {
                    CniChains.removeCreated(table, chainsBefore.get(table));
                }
            }
        }
    }

    static CliRun.Result berth(String... args) {
        return berthWithInput("", args);
    }

    static CliRun.Result berthWithInput(String stdin, String... args) {
        return new CliRun(null, home).env("DOCKER_HOST", engine.daemon().host()).stdin(stdin).run(args);
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    static String inspect(String format, String name) {
        return engine.docker("inspect", "-f", format, name).assertOk().stdout().strip();
    }

    @Test
    void pauseUnpauseRenameRestart() {
        engine.docker("run", "-d", "--network", "none", "--name", "cli7-life", ref, "sleep", "300").assertOk();
        try {
            assertEquals("cli7-life\n", ok(berth("pause", "cli7-life")).out());
            assertEquals("true paused", inspect("{{.State.Paused}} {{.State.Status}}", "cli7-life"));
            assertEquals("cli7-life\n", ok(berth("container", "unpause", "cli7-life")).out());
            assertEquals("false running", inspect("{{.State.Paused}} {{.State.Status}}", "cli7-life"));
            assertEquals("", ok(berth("rename", "cli7-life", "cli7-life2")).out());
            assertEquals("/cli7-life2", inspect("{{.Name}}", "cli7-life2"));
            String started = inspect("{{.State.StartedAt}}", "cli7-life2");
            assertEquals("cli7-life2\n", ok(berth("restart", "-t", "1", "cli7-life2")).out());
            assertNotEquals(started, inspect("{{.State.StartedAt}}", "cli7-life2"));
            assertEquals("running", inspect("{{.State.Status}}", "cli7-life2"));
            CliRun.Result missing = berth("pause", "cli7-nope");
            assertEquals(1, missing.status());
            assertEquals("Error response from daemon: No such container: cli7-nope\n", missing.err());
        } finally {
            engine.docker("rm", "-f", "cli7-life", "cli7-life2");
        }
    }

    @Test
    void commitCpAndExport() throws Exception {
        engine.docker("run", "-d", "--network", "none", "--name", "cli7-files", ref, "sleep", "300").assertOk();
        try {
            Path local = home.resolve("to-container.txt");
            Files.writeString(local, "from the host\n");
            assertEquals("", ok(berth("cp", local.toString(), "cli7-files:/copied.txt")).out());
            assertEquals("from the host\n", engine.docker("exec", "cli7-files", "cat", "/copied.txt").assertOk().stdout());
            Path back = home.resolve("back.txt");
            engine.docker("exec", "cli7-files", "sh", "-c", "echo inside > /made-here").assertOk();
            ok(berth("container", "cp", "cli7-files:/made-here", back.toString()));
            assertEquals("inside\n", Files.readString(back));

            CliRun.Result commit = ok(berth("commit", "cli7-files", "cli7/committed:1"));
            assertTrue(commit.out().matches("sha256:[0-9a-f]{64}\n"), commit.out());
            assertEquals(commit.out().strip(), inspect("{{.Id}}", "cli7/committed:1"));
            assertEquals("inside\n", engine.docker("run", "--rm", "--network", "none", "cli7/committed:1", "cat", "/made-here")
                    .assertOk().stdout());

            Path tar = home.resolve("export.tar");
            assertEquals("", ok(berth("export", "-o", tar.toString(), "cli7-files")).out());
            String listing = Processes.run(Map.of(), null, 30, "tar", "tf", tar.toString()).assertOk().stdout();
            assertTrue(listing.lines().anyMatch(l -> l.equals("made-here")), listing);
            assertTrue(listing.lines().anyMatch(l -> l.equals("bin/busybox")), listing);
        } finally {
            engine.docker("rm", "-f", "cli7-files");
            engine.docker("rmi", "cli7/committed:1");
        }
    }

    @Test
    void diffTopAndNetworkConnectDisconnectAsDockerDoes() {
        engine.docker("network", "create", "--subnet", "10.98.0.128/25", "-o", "com.docker.network.bridge.name=" + NET_BRIDGE,
                "cli7-lnet").assertOk();
        engine.docker("run", "-d", "--network", "cli7-lnet", "--name", "cli7-look", ref, "sleep", "300").assertOk();
        try {
            engine.docker("exec", "cli7-look", "sh", "-c", "/bin/busybox mkdir -p /cli7/dir && echo x > /cli7/dir/file && /bin/busybox rm /bin/true")
                    .assertOk();
            String diff = engine.docker("diff", "cli7-look").assertOk().stdout();
            assertTrue(diff.contains("A /cli7/dir/file\n") && diff.contains("D /bin/true\n"), diff);
            assertEquals(diff, ok(berth("diff", "cli7-look")).out());
            // ps options after the name, as docker passes them; not the default columns: C (CPU %) drifts between calls
            String top = engine.docker("top", "cli7-look", "-o", "pid,user,args").assertOk().stdout();
            assertTrue(top.contains("sleep 300"), top);
            assertEquals(top, ok(berth("top", "cli7-look", "-o", "pid,user,args")).out());

            assertEquals("", ok(berth("network", "disconnect", "cli7-lnet", "cli7-look")).out());
            assertEquals("{}", inspect("{{json .NetworkSettings.Networks}}", "cli7-look"));
            assertEquals("", ok(berth("network", "connect", "cli7-lnet", "cli7-look")).out());
            assertTrue(inspect("{{range $k, $v := .NetworkSettings.Networks}}{{$k}} {{$v.IPAddress}}{{end}}", "cli7-look")
                    .startsWith("cli7-lnet 10.98.0.1"), "connected again with an address of the network");
            CliRun.Result twice = berth("network", "connect", "cli7-lnet", "cli7-look");
            Processes.Result dockerTwice = engine.docker("network", "connect", "cli7-lnet", "cli7-look");
            assertEquals(dockerTwice.exitCode(), twice.status(), twice.toString());
            assertEquals(dockerTwice.stderr(), twice.err());
        } finally {
            engine.docker("rm", "-f", "cli7-look");
            engine.docker("network", "rm", "cli7-lnet");
        }
    }

    @Test
    void attachCarriesStdinAndOutputAndEndsWithTheContainer() {
        engine.docker("run", "-di", "--network", "none", "--name", "cli7-att", ref, "sh", "-c",
                "read line; echo got-$line; exit 3").assertOk();
        try {
            // the container only answers what attach gave it, so no output can be missed before attach connects
            CliRun.Result r = berthWithInput("hello\n", "attach", "cli7-att");
            assertEquals(3, r.status(), r.toString());
            assertEquals("got-hello\n", r.out());
            assertEquals("exited 3", inspect("{{.State.Status}} {{.State.ExitCode}}", "cli7-att"));
        } finally {
            engine.docker("rm", "-f", "cli7-att");
        }
    }

    @Test
    void containerVolumeAndNetworkCreateRemoveAndPrune() {
        engine.docker("create", "--network", "none", "--name", "cli7-stopped", ref, "true").assertOk();
        String id = inspect("{{.Id}}", "cli7-stopped");
        assertEquals("Deleted Containers:\n" + id + "\n\nTotal reclaimed space: 0B\n",
                ok(berth("container", "prune", "-f")).out());
        assertEquals(1, engine.docker("inspect", "cli7-stopped").exitCode());

        assertEquals("cli7-vol\n", ok(berth("volume", "create", "--label", "cli7=yes", "cli7-vol")).out());
        assertEquals("yes", engine.docker("volume", "inspect", "-f", "{{index .Labels \"cli7\"}}", "cli7-vol")
                .assertOk().stdout().strip());
        assertEquals("cli7-vol\n", ok(berth("volume", "rm", "cli7-vol")).out());
        ok(berth("volume", "create", "cli7-vol2"));
        assertEquals("Total reclaimed space: 0B\n", ok(berth("volume", "prune", "-f")).out(), "a named volume is not anonymous");
        assertEquals("Deleted Volumes:\ncli7-vol2\n\nTotal reclaimed space: 0B\n",
                ok(berth("volume", "prune", "-a", "-f")).out());

        CliRun.Result net = ok(berth("network", "create", "--subnet", "10.98.0.128/25",
                "-o", "com.docker.network.bridge.name=" + NET_BRIDGE, "--label", "cli7=yes", "cli7-lnet"));
        assertTrue(net.out().matches("[0-9a-f]{64}\n"), net.out());
        assertEquals("10.98.0.128/25", engine.docker("network", "inspect", "-f", "{{range .IPAM.Config}}{{.Subnet}}{{end}}",
                "cli7-lnet").assertOk().stdout().strip());
        assertEquals("cli7-lnet\n", ok(berth("network", "rm", "cli7-lnet")).out());
        ok(berth("network", "create", "--subnet", "10.98.0.128/25", "-o", "com.docker.network.bridge.name=" + NET_BRIDGE,
                "cli7-lnet"));
        assertEquals("Deleted Networks:\ncli7-lnet\n\n", ok(berth("network", "prune", "-f")).out());
        assertEquals("", engine.docker("network", "ls", "-q", "--filter", "name=cli7-lnet").assertOk().stdout());
    }
}
