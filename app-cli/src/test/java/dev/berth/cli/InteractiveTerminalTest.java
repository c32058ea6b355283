package dev.berth.cli;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * berth as a user at a terminal meets it: {@code run -it} and {@code exec -it} on a real pty (through
 * {@code script}), with raw mode, resize and detach keys; signals proxied with {@code --sig-proxy};
 * a socket the user may not open; pull progress as docker draws it, plain and on a terminal. The
 * berth process is this JVM's class path in a child JVM.
 */
class InteractiveTerminalTest {
    private static final String BRIDGE = "bcl0";
    private static final String SUBNET = "10.78.0.0/24";
    private static final Duration WAIT = Duration.ofSeconds(30);

    static BusyboxOnBerth engine;
    static String ref;
    static final Map<String, Set<String>> chainsBefore = new HashMap<>();
    @TempDir
    static Path home;
    static Path shim;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("iptables");
        Processes.requireBinary("script");
        Processes.requireBinary("setpriv");
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, CniChains.chains(table));
        }
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, SUBNET), home.resolve(".docker"));
        ref = engine.ref();
        shim = home.resolve("bin/berth");
        Files.createDirectories(shim.getParent());
        Files.writeString(shim, "#!/bin/sh\nexec '" + java() + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:-UsePerfData"
                + " --enable-native-access=ALL-UNNAMED -cp '" + System.getProperty("java.class.path") + "' "
                + Main.class.getName() + " \"$@\"\n");
        assertTrue(shim.toFile().setExecutable(true));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", BRIDGE);
            }
            for (String table : List.of("nat", "filter")) {
                if (chainsBefore.containsKey(table)) {
                    CniChains.removeCreated(table, chainsBefore.get(table));
                }
            }
        }
    }

    static String java() {
        return ProcessHandle.current().info().command().orElse("java");
    }

    static Map<String, String> env() {
        Map<String, String> env = new HashMap<>();
        env.put("DOCKER_HOST", engine.daemon().host());
        env.put("DOCKER_CONFIG", home.resolve(".docker").toString());
        env.put("HOME", home.toString());
        env.put("TERM", "xterm");
        return env;
    }

    /**
     * Runs {@code berth <args>} on a fresh 24x80 pty, saving the pty's stty state before and after,
     * and the pty's path so the test can resize it.
     */
    static PtySession session(String name, String berthArgs) throws IOException {
        Path dir = home.resolve(name);
        Files.createDirectories(dir);
        return PtySession.start(env(), "tty > " + dir.resolve("tty") + "; stty rows 24 cols 80; stty -g > " + dir.resolve("before")
                + "; " + shim + " " + berthArgs + "; echo \"berth-exit=$?\"; stty -g > " + dir.resolve("after"));
    }

    static String read(Path file) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!Files.exists(file) || Files.size(file) == 0) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no " + file);
            }
            Thread.sleep(20);
        }
        return Files.readString(file).strip();
    }

    /** Types, resizes and exits an interactive shell; checks the terminal was raw during it and restored after. */
    static void interactiveShell(String name, String berthArgs) throws Exception {
        interactiveShell(name, berthArgs, false);
    }

    /** @param attached the shell printed its prompt before berth came: Enter until a new prompt shows */
    static void interactiveShell(String name, String berthArgs, boolean attached) throws Exception {
        try (PtySession pty = session(name, berthArgs)) {
            int at;
            if (attached) {
                long until = System.nanoTime() + WAIT.toNanos();
                at = -1;
                while (at < 0 && System.nanoTime() < until) {
                    int from = pty.length();
                    pty.type("\r");
                    at = pty.poll("/ # ", from, Duration.ofMillis(500));
                }
                assertTrue(at > 0, "no prompt after attach:\n" + pty.output());
            } else {
                at = pty.await("/ # ", 0, WAIT);
            }
            String tty = read(home.resolve(name).resolve("tty"));
            // raw while the container has the terminal: no echo, no line editing by our pty
            String during = Processes.run(Map.of(), null, 10, "stty", "-F", tty, "-a").assertOk().stdout();
            assertTrue(during.contains("-icanon") && during.contains("-echo ") && during.contains("-isig"), during);

            pty.type("echo hi\r");
            at = pty.await("echo hi\r\nhi\r\n", at, WAIT);
            pty.type("stty size\r");
            at = pty.await("24 80\r\n", at, WAIT);

            // a resize of our terminal reaches the container's (SIGWINCH -> /resize)
            Processes.run(Map.of(), null, 10, "stty", "-F", tty, "rows", "41", "cols", "117").assertOk();
            long deadline = System.nanoTime() + WAIT.toNanos();
            int seen = -1;
            while (seen < 0 && System.nanoTime() < deadline) {
                int from = pty.length();
                pty.type("stty size\r");
                seen = pty.poll("41 117\r\n", from, Duration.ofMillis(500));
            }
            assertTrue(seen > 0, "the container's terminal never became 41x117:\n" + pty.output());

            pty.type("exit 3\r");
            pty.await("berth-exit=3", seen, WAIT);
            assertEquals(0, pty.waitFor(WAIT));
            assertEquals(read(home.resolve(name).resolve("before")), read(home.resolve(name).resolve("after")),
                    "berth restored the terminal's mode");
        }
    }

    @Test
    void runItIsRawForwardsResizeAndRestoresTheTerminal() throws Exception {
        interactiveShell("cli-it-run", "run -it --rm --name cli-it-run " + ref + " sh");
        assertNotEquals(0, engine.docker("inspect", "cli-it-run").exitCode(), "--rm removed it");
    }

    @Test
    void execItIsRawForwardsResizeAndRestoresTheTerminal() throws Exception {
        engine.docker("run", "-d", "--name", "cli-it-exec", ref, "sleep", "300").assertOk();
        try {
            interactiveShell("cli-it-exec", "exec -it cli-it-exec sh");
        } finally {
            engine.docker("rm", "-f", "cli-it-exec");
        }
    }

    @Test
    void attachToATtyContainerIsRawForwardsResizeAndRestoresTheTerminal() throws Exception {
        engine.docker("run", "-dit", "--name", "cli-it-attach", ref, "sh").assertOk();
        try {
            interactiveShell("cli-it-attach", "attach cli-it-attach", true);
            assertEquals("exited 3\n", engine.docker("inspect", "-f", "{{.State.Status}} {{.State.ExitCode}}", "cli-it-attach")
                    .assertOk().stdout());
        } finally {
            engine.docker("rm", "-f", "cli-it-attach");
        }
    }

    @Test
    void detachKeysLeaveTheContainerRunning() throws Exception {
        try (PtySession pty = session("cli-it-detach", "run -it --name cli-it-detach " + ref + " sh")) {
            int at = pty.await("/ # ", 0, WAIT);
            pty.type("\u0010\u0011"); // ctrl-p ctrl-q
            pty.await("berth-exit=0", at, WAIT);
            assertEquals(0, pty.waitFor(WAIT));
            assertEquals("true\n", engine.docker("inspect", "-f", "{{.State.Running}}", "cli-it-detach").assertOk().stdout());
            assertEquals(read(home.resolve("cli-it-detach").resolve("before")), read(home.resolve("cli-it-detach").resolve("after")));
        } finally {
            engine.docker("rm", "-f", "cli-it-detach");
        }
    }

    @Test
    void customDetachKeysOnAttachLeaveTheContainerRunning() throws Exception {
        engine.docker("run", "-dit", "--name", "cli-it-keys", ref, "sh").assertOk();
        try (PtySession pty = session("cli-it-keys", "attach --detach-keys ctrl-x,x cli-it-keys")) {
            long until = System.nanoTime() + WAIT.toNanos();
            int at = -1;
            while (at < 0 && System.nanoTime() < until) {
                int from = pty.length();
                pty.type("\r");
                at = pty.poll("/ # ", from, Duration.ofMillis(500));
            }
            assertTrue(at > 0, "no prompt after attach:\n" + pty.output());
            pty.type("\u0010\u0011"); // docker's default keys are not the detach keys now: they reach the shell
            pty.type("\u0015echo still-$((40+2))\r"); // ctrl-u clears what ctrl-p recalled
            at = pty.await("still-42\r\n", at, WAIT);
            pty.type("\u0018x"); // ctrl-x x
            pty.await("berth-exit=0", at, WAIT);
            assertEquals(0, pty.waitFor(WAIT));
            assertEquals("true\n", engine.docker("inspect", "-f", "{{.State.Running}}", "cli-it-keys").assertOk().stdout());
            assertEquals(read(home.resolve("cli-it-keys").resolve("before")), read(home.resolve("cli-it-keys").resolve("after")));
        } finally {
            engine.docker("rm", "-f", "cli-it-keys");
        }
    }

    /** berth run without a TTY, its output collected; returns once the container printed "ready". */
    static Process startTrapping(String name, String... flags) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(shim.toString(), "run", "--name", name));
        command.addAll(List.of(flags));
        command.addAll(List.of(ref, "sh", "-c", "trap 'echo got-term; exit 42' TERM; echo ready; while :; do sleep 0.1; done"));
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(env());
        return pb.start();
    }

    static String readUntil(InputStream in, String text) throws IOException {
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            seen.write(b);
            if (seen.toString(StandardCharsets.UTF_8).contains(text)) {
                return seen.toString(StandardCharsets.UTF_8);
            }
        }
        throw new AssertionError("ended before \"" + text + "\": " + seen.toString(StandardCharsets.UTF_8));
    }

    /** SIGTERM by kill(1): Process.destroy would close our end of its output as well. */
    static void term(Process p) {
        Processes.run(Map.of(), null, 10, "kill", "-TERM", Long.toString(p.pid())).assertOk();
    }

    @Test
    void sigProxyForwardsSigtermToTheContainer() throws Exception {
        Process berth = startTrapping("cli-sig");
        try {
            readUntil(berth.getInputStream(), "ready\n");
            term(berth);
            String rest = new String(berth.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(berth.waitFor(30, TimeUnit.SECONDS));
            assertTrue(rest.contains("got-term"), rest);
            assertEquals(42, berth.exitValue(), rest);
        } finally {
            berth.destroyForcibly();
            engine.docker("rm", "-f", "cli-sig");
        }
    }

    @Test
    void sigProxyFalseLeavesTheContainerAlone() throws Exception {
        Process berth = startTrapping("cli-nosig", "--sig-proxy=false");
        try {
            readUntil(berth.getInputStream(), "ready\n");
            term(berth);
            assertTrue(berth.waitFor(30, TimeUnit.SECONDS));
            assertEquals(143, berth.exitValue(), "berth ended by the signal itself");
            assertEquals("true\n", engine.docker("inspect", "-f", "{{.State.Running}}", "cli-nosig").assertOk().stdout());
            assertTrue(engine.docker("logs", "cli-nosig").stdout().equals("ready\n"), "no trap ran");
        } finally {
            berth.destroyForcibly();
            engine.docker("rm", "-f", "cli-nosig");
        }
    }

    /** A socket this user may not open: docker's "permission denied while trying to connect", exit 1. */
    @Test
    void aPermissionDeniedSocketIsNamed() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "cli-perm");
        Path socket = dir.resolve("berth.sock");
        try (var server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
            server.bind(java.net.UnixDomainSocketAddress.of(socket));
            Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("---------"));
            // the class path copied where user nobody can read it (home and ~/.m2 are root's)
            Path cp = Files.createDirectories(dir.resolve("cp"));
            StringBuilder classPath = new StringBuilder();
            int i = 0;
            for (String entry : System.getProperty("java.class.path").split(":")) {
                Path from = Path.of(entry);
                if (!Files.exists(from)) {
                    continue;
                }
                Path to = cp.resolve(i++ + "-" + from.getFileName());
                Processes.run(Map.of(), null, 60, "cp", "-r", from.toString(), to.toString()).assertOk();
                classPath.append(classPath.isEmpty() ? "" : ":").append(to);
            }
            Processes.run(Map.of(), null, 30, "chmod", "-R", "a+rX", dir.toString()).assertOk();
            Processes.Result r = Processes.run(Map.of("HOME", dir.toString(), "DOCKER_HOST", "unix://" + socket), null, 60,
                    "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", java(), "-XX:-UsePerfData",
                    "-XX:TieredStopAtLevel=1", "-cp", classPath.toString(), Main.class.getName(), "ps");
            assertEquals(1, r.exitCode(), r.toString());
            assertTrue(r.stderr().startsWith("permission denied while trying to connect to the Berth engine at unix://" + socket),
                    r.stderr());
            assertEquals("", r.stdout());
            // docker, as the same user, words it the same way
            Processes.Result d = Processes.run(Map.of("HOME", dir.toString(), "DOCKER_HOST", "unix://" + socket), null, 60,
                    "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "docker", "ps");
            assertEquals(r.exitCode(), d.exitCode(), d.toString());
            assertTrue(d.stderr().startsWith("permission denied while trying to connect to the Docker daemon socket at unix://" + socket),
                    d.stderr());
        } finally {
            Processes.run(Map.of(), null, 30, "rm", "-rf", dir.toString());
        }
    }

    static Processes.Result berthProcess(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = shim.toString();
        System.arraycopy(args, 0, command, 1, args.length);
        return Processes.run(env(), null, 120, command);
    }

    /** Not a terminal: the same plain lines as docker, byte for byte, for the same engine stream. */
    @Test
    void pullAndPushPrintDockersPlainProgress() {
        engine.docker("rmi", ref).assertOk();
        Processes.Result docker = engine.docker("pull", ref).assertOk();
        engine.docker("rmi", ref).assertOk();
        Processes.Result berth = berthProcess("pull", ref);
        assertEquals(0, berth.exitCode(), berth.toString());
        assertTrue(docker.stdout().contains("Pull complete"), docker.stdout());
        assertEquals(byLayer(docker.stdout()), byLayer(berth.stdout()));

        // pushes of layers the registry has: "Layer already exists", the digest line, in docker's words
        String dockerTag = ref.replace(":1.0", ":cli-d");
        String berthTag = ref.replace(":1.0", ":cli-b");
        engine.docker("tag", ref, dockerTag).assertOk();
        engine.docker("tag", ref, berthTag).assertOk();
        try {
            Processes.Result dockerPush = engine.docker("push", dockerTag).assertOk();
            Processes.Result berthPush = berthProcess("push", berthTag);
            assertEquals(0, berthPush.exitCode(), berthPush.toString());
            assertTrue(dockerPush.stdout().contains("Layer already exists"), dockerPush.stdout());
            assertEquals(byLayer(dockerPush.stdout().replace("cli-d", "TAG")), byLayer(berthPush.stdout().replace("cli-b", "TAG")));
        } finally {
            engine.docker("rmi", dockerTag, berthTag);
        }
    }

    /**
     * Plain progress split per layer, each layer's lines in order, and the other lines in order under "".
     * Layers move concurrently, so how their lines interleave differs from run to run (docker's too);
     * what each layer reports, and in which order, does not.
     */
    static java.util.Map<String, List<String>> byLayer(String output) {
        java.util.Map<String, List<String>> lines = new java.util.TreeMap<>();
        for (String line : output.split("\n", -1)) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("^([0-9a-f]{12}): ").matcher(line);
            lines.computeIfAbsent(m.find() ? m.group(1) : "", k -> new java.util.ArrayList<>()).add(line);
        }
        return lines;
    }

    static String pullOnTerminal(String program) throws Exception {
        engine.docker("rmi", ref).assertOk();
        try (PtySession pty = PtySession.start(env(), "stty rows 24 cols 200; " + program + " pull " + ref + "; echo pull-exit=$?")) {
            pty.await("pull-exit=0", 0, WAIT);
            pty.waitFor(WAIT);
            return pty.output();
        }
    }

    static java.util.Set<String> escapes(String output) {
        java.util.Set<String> found = new java.util.TreeSet<>();
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\u001b\\[[0-9;?]*[A-Za-z]").matcher(output);
        while (m.find()) {
            found.add(m.group().replace("\u001b", "ESC"));
        }
        return found;
    }

    /** On a terminal: per-layer lines redrawn in place, with the same cursor movements docker uses. */
    @Test
    void pullOnATerminalRedrawsLayerLinesAsDockerDoes() throws Exception {
        String docker = pullOnTerminal("docker");
        String berth = pullOnTerminal(shim.toString());
        assertTrue(escapes(berth).containsAll(java.util.Set.of("ESC[1A", "ESC[1B", "ESC[2K")), escapes(berth) + "\n" + berth);
        assertEquals(escapes(docker), escapes(berth), "docker:\n" + docker + "\nberth:\n" + berth);
        // what stays on the screen once the bars are done: the same status lines
        for (String line : List.of("Pull complete", "Digest: sha256:", "Status: Downloaded newer image for " + ref)) {
            assertTrue(berth.contains(line), line + " in\n" + berth);
        }
    }
}
