package dev.berth.cli;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The berth CLI's container commands against a real daemon (runc, conmon, CNI on bridge {@code bc0}),
 * with the real docker CLI on the same daemon as the reference for output and exit codes.
 */
class ContainerCommandsEndToEndTest {
    private static final String BRIDGE = "bc0";
    private static final String SUBNET = "10.68.0.0/24";

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
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, SUBNET), home.resolve(".docker"));
        ref = engine.ref();
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

    static CliRun.Result berth(String... args) {
        return new CliRun(null, home).env("DOCKER_HOST", engine.daemon().host()).systemClock().run(args);
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    static CliRun.Result ok(CliRun.Result r) {
        assertEquals(0, r.status(), r.toString());
        return r;
    }

    /** Output that shows elapsed seconds may differ if a second ticks between the two calls: try a few times. */
    static void assertSameSoon(Supplier<String> expected, Supplier<String> actual) {
        String e = null;
        String a = null;
        for (int i = 0; i < 3; i++) {
            e = expected.get();
            a = actual.get();
            if (e.equals(a)) {
                return;
            }
        }
        assertEquals(e, a);
    }

    @Test
    void runInTheForegroundStreamsBothOutputsAndExitsWithTheContainersStatus() {
        var r = berth("run", "--name", "cli-fg", ref, "sh", "-c", "echo out; echo err >&2; exit 3");
        assertEquals(3, r.status(), r.toString());
        assertEquals("out\n", r.out());
        assertEquals("err\n", r.err());
        assertEquals("3\n", ok(berth("wait", "cli-fg")).out());
        assertEquals("cli-fg\n", ok(berth("rm", "cli-fg")).out());

        // flags after the image belong to the command (docker stops parsing at the image)
        var ls = berth("run", "--rm", ref, "ls", "-d", "/etc");
        assertEquals(0, ls.status(), ls.toString());
        assertEquals("/etc\n", ls.out());
        assertEquals("", berth("ps", "-aq", "--filter", "status=exited").out().lines()
                .filter(id -> !id.isBlank()).filter(id -> berth("inspect", "-f", "{{.Config.Cmd}}", id).out().contains("/etc"))
                .reduce("", String::concat), "--rm removed the container");
    }

    @Test
    void runOptionsReachTheContainer() {
        var r = berth("run", "--rm", "-e", "CLI_A=1", "-w", "/tmp", "-u", "65534", "--hostname", "cli-host",
                "-l", "cli.label=yes", "--entrypoint", "sh", ref, "-c", "echo $CLI_A $(pwd) $(id -u) $(hostname)");
        assertEquals(0, r.status(), r.toString());
        assertEquals("1 /tmp 65534 cli-host\n", r.out());
    }

    @Test
    void detachedContainerThroughPsLogsInspectStopAndRm() {
        String id = ok(berth("run", "-d", "--name", "cli-d", ref, "sh", "-c", "echo hello; echo oops >&2; sleep 300")).out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals("true\n", ok(berth("inspect", "-f", "{{.State.Running}}", "cli-d")).out());

        // the default table, byte for byte as docker prints it from the same engine
        assertSameSoon(() -> docker("ps").assertOk().stdout(), () -> ok(berth("ps")).out());
        assertSameSoon(() -> docker("ps", "-a", "--no-trunc").assertOk().stdout(), () -> ok(berth("ps", "-a", "--no-trunc")).out());
        assertEquals(docker("ps", "-q").assertOk().stdout(), ok(berth("ps", "-q")).out());
        String fmt = "{{.ID}}|{{.Names}}|{{.Image}}|{{.Command}}|{{.State}}|{{.Ports}}|{{.Labels}}|{{.Networks}}";
        assertEquals(docker("ps", "--format", fmt).assertOk().stdout(), ok(berth("ps", "--format", fmt)).out());
        assertEquals(docker("ps", "--format", "json").assertOk().stdout().replaceAll("\"RunningFor\":\"[^\"]*\"", "")
                        .replaceAll("\"Status\":\"[^\"]*\"", ""),
                ok(berth("ps", "--format", "json")).out().replaceAll("\"RunningFor\":\"[^\"]*\"", "")
                        .replaceAll("\"Status\":\"[^\"]*\"", ""));
        assertEquals(docker("ps", "-n", "1", "-q").assertOk().stdout(), ok(berth("ps", "-l", "-q")).out());

        // inspect prints the engine's JSON exactly as docker does
        assertEquals(docker("inspect", "cli-d").assertOk().stdout(), ok(berth("inspect", "cli-d")).out());
        assertEquals(docker("container", "inspect", id.substring(0, 12)).assertOk().stdout(),
                ok(berth("container", "inspect", id.substring(0, 12))).out());

        pollUntil(() -> berth("logs", "cli-d").out().equals("hello\n"));
        var logs = ok(berth("logs", "cli-d"));
        assertEquals("hello\n", logs.out());
        assertEquals("oops\n", logs.err());
        var stamped = ok(berth("logs", "-t", "cli-d"));
        assertTrue(stamped.out().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z hello\n"), stamped.out());
        var dockerStamped = docker("logs", "-t", "--tail", "1", "cli-d").assertOk();
        var tail = ok(berth("logs", "-t", "--tail", "1", "cli-d"));
        assertEquals(dockerStamped.stdout(), tail.out());
        assertEquals(dockerStamped.stderr(), tail.err());

        assertEquals("cli-d\n", ok(berth("stop", "-t", "1", "cli-d")).out());
        String code = ok(berth("inspect", "-f", "{{.State.ExitCode}}", "cli-d")).out().strip();
        assertTrue(code.equals("137") || code.equals("143"), code);
        assertSameSoon(() -> docker("ps", "-a").assertOk().stdout(), () -> ok(berth("ps", "-a")).out());
        assertEquals("cli-d\n", ok(berth("container", "rm", "cli-d")).out());
        assertEquals("", ok(berth("ps", "-aq", "--no-trunc")).out().lines().filter(id::equals).reduce("", String::concat));
    }

    @Test
    void killAndRmForce() {
        ok(berth("run", "-d", "--name", "cli-k", ref, "sleep", "300"));
        assertEquals("cli-k\n", ok(berth("kill", "cli-k")).out());
        assertEquals("137\n", ok(berth("wait", "cli-k")).out());
        ok(berth("start", "cli-k"));
        assertEquals("true\n", ok(berth("inspect", "-f", "{{.State.Running}}", "cli-k")).out());
        var busy = berth("rm", "cli-k");
        assertEquals(1, busy.status(), busy.toString());
        assertEquals(docker("rm", "cli-k").stderr(), busy.err());
        assertEquals("cli-k\n", ok(berth("rm", "-f", "cli-k")).out());
    }

    @Test
    void createThenStartAttached() {
        String id = ok(berth("create", "--name", "cli-c", ref, "echo", "created")).out().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), id);
        assertEquals("created\n", ok(berth("inspect", "-f", "{{.State.Status}}", "cli-c")).out());
        var started = berth("start", "-a", "cli-c");
        assertEquals(0, started.status(), started.toString());
        assertEquals("created\n", started.out());
        assertEquals("cli-c\n", ok(berth("rm", "cli-c")).out());
    }

    @Test
    void errorsAndExitStatusesMatchDocker() {
        var missing = berth("rm", "cli-nope");
        var dockerMissing = docker("rm", "cli-nope");
        assertEquals(dockerMissing.exitCode(), missing.status());
        assertEquals(dockerMissing.stderr(), missing.err());
        assertEquals(0, berth("rm", "-f", "cli-nope").status());

        // the engine's refusal to start becomes docker's status (127 for a missing command) and wording
        var notFound = berth("run", "--name", "cli-nf", ref, "cli-no-such-command");
        var dockerNotFound = docker("run", "--name", "cli-nf2", ref, "cli-no-such-command");
        assertEquals(dockerNotFound.exitCode(), notFound.status(), notFound.toString());
        assertEquals(dockerNotFound.stderr().replace("docker", "berth").replace("cli-nf2", "cli-nf").replaceAll("[0-9a-f]{64}", "ID"),
                notFound.err().replace("docker", "berth").replaceAll("[0-9a-f]{64}", "ID"));
        ok(berth("rm", "cli-nf", "cli-nf2"));
        // --rm leaves nothing behind even when the start fails
        var gone = berth("run", "--rm", "--name", "cli-nf3", ref, "cli-no-such-command");
        assertEquals(notFound.status(), gone.status(), gone.toString());
        assertEquals(1, berth("inspect", "cli-nf3").status(), "removed");

        var noImage = berth("run", "--pull", "never", "cli/absent:1");
        assertEquals(125, noImage.status(), noImage.toString());
        assertTrue(noImage.err().startsWith("berth: Error response from daemon: No such image: "), noImage.err());

        ok(berth("create", "--name", "cli-dup", ref, "true"));
        var dup = berth("run", "--name", "cli-dup", ref, "true");
        assertEquals(125, dup.status(), dup.toString());
        assertTrue(dup.err().contains("Conflict. The container name \"/cli-dup\" is already in use"), dup.err());
        ok(berth("rm", "cli-dup"));

        var badPort = berth("run", "-p", "abc", ref, "true");
        assertEquals(125, badPort.status());
        assertEquals("berth: invalid containerPort: abc\n\nRun 'berth run --help' for more information\n", badPort.err());
        var badMemory = berth("run", "--memory", "lots", ref, "true");
        assertEquals(125, badMemory.status());
        assertTrue(badMemory.err().startsWith("invalid argument \"lots\" for \"-m, --memory\" flag: invalid size: 'lots'"),
                badMemory.err());
    }

    @Test
    void publishedPortsThroughPortAndPs() throws Exception {
        int port = freePort();
        ok(berth("run", "-d", "--name", "cli-p", "-p", "127.0.0.1:" + port + ":8080", ref,
                "busybox", "httpd", "-f", "-p", "8080", "-h", "/etc"));
        assertEquals(docker("port", "cli-p").assertOk().stdout(), ok(berth("port", "cli-p")).out());
        assertEquals("127.0.0.1:" + port + "\n", ok(berth("port", "cli-p", "8080")).out());
        assertEquals(docker("ps", "--format", "{{.Ports}}").assertOk().stdout(), ok(berth("ps", "--format", "{{.Ports}}")).out());
        var none = berth("port", "cli-p", "9999/udp");
        assertEquals(1, none.status());
        assertEquals("Error: No public port '9999/udp' published for cli-p\n", none.err());
        pollUntil(() -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
                s.getOutputStream().write("GET /hostname HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1).startsWith("HTTP/1.");
            } catch (IOException e) {
                return false;
            }
        });
        ok(berth("rm", "-f", "cli-p"));
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static void pollUntil(Supplier<Boolean> condition) {
        long deadline = System.nanoTime() + 15_000_000_000L;
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 15 s");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
