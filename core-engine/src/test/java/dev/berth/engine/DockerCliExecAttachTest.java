package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real docker CLI attaching stdin and exec'ing into containers on Berth. */
class DockerCliExecAttachTest {
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), config);
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    /** The docker CLI with {@code stdin} piped in. */
    static Processes.Result dockerWithStdin(String stdin, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Processes.requireBinary("docker");
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Processes.run(env(), stdin.getBytes(StandardCharsets.UTF_8), 60, cmd);
    }

    static Map<String, String> env() {
        return Map.of("DOCKER_HOST", engine.daemon().host(), "DOCKER_CONFIG", config.toString(),
                "DOCKER_CLI_HINTS", "false");
    }

    /** The docker CLI under a pseudo-terminal of {@code rows}x{@code cols}, as a user's shell gives it. */
    static Processes.Result dockerInPty(int rows, int cols, String stdin, String dockerArgs) {
        String line = "stty rows " + rows + " cols " + cols + "; " + Processes.requireBinary("docker") + " " + dockerArgs;
        return Processes.run(env(), stdin.getBytes(StandardCharsets.UTF_8), 60,
                Processes.requireBinary("script"), "-qfec", line, "/dev/null");
    }

    @Test
    void runWithPipedStdinEchoesAndExits() {
        var run = dockerWithStdin("hi\n", "run", "-i", "--rm", "--network", "none", ref, "cat");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("hi\n", run.stdout());
    }

    @Test
    void execReportsOutputStreamsAndExitCode() throws InterruptedException {
        docker("run", "-d", "--network", "none", "--name", "attach-ex1", ref, "sleep", "1000").assertOk();
        try {
            var ex = docker("exec", "attach-ex1", "sh", "-c", "echo out; echo err >&2; exit 3");
            assertEquals(3, ex.exitCode(), ex.stderr());
            assertEquals("out\n", ex.stdout());
            assertEquals("err\n", ex.stderr());

            // The test image has no passwd: give it users, as an image would.
            docker("exec", "attach-ex1", "sh", "-c", "echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd;"
                    + " echo 'berth:x:1234:2345:B:/home/b:/bin/sh' >> /etc/passwd;"
                    + " echo 'main:x:2345:' > /etc/group; echo 'extra:x:3456:berth' >> /etc/group").assertOk();
            var opts = docker("exec", "-e", "FOO=bar", "-u", "berth", "-w", "/etc", "attach-ex1",
                    "sh", "-c", "echo $FOO; busybox id -u; busybox id -G; pwd").assertOk();
            assertEquals("bar\n1234\n2345 3456\n/etc\n", opts.stdout());
            var group = docker("exec", "-u", "berth:extra", "attach-ex1", "busybox", "id", "-g").assertOk();
            assertEquals("3456\n", group.stdout());
            var numeric = docker("exec", "-u", "42:43", "attach-ex1", "busybox", "id", "-u").assertOk();
            assertEquals("42\n", numeric.stdout());

            var piped = dockerWithStdin("piped\n", "exec", "-i", "attach-ex1", "cat");
            assertEquals(0, piped.exitCode(), piped.stderr());
            assertEquals("piped\n", piped.stdout());

            var tty = dockerInPty(33, 111, "", "exec -t attach-ex1 busybox stty size");
            assertEquals(0, tty.exitCode(), tty.stderr());
            assertEquals("33 111", tty.stdout().strip());
            awaitNoAttachThreads(); // every exec has ended: nothing of theirs is left running
        } finally {
            docker("rm", "-f", "attach-ex1");
        }
    }

    @Test
    void execIntoAStoppedContainerIsAConflict() {
        docker("create", "--network", "none", "--name", "attach-ex2", ref, "true").assertOk();
        try {
            var ex = docker("exec", "attach-ex2", "true");
            assertTrue(ex.exitCode() != 0);
            assertTrue(ex.stderr().contains("is not running"), ex.stderr());
        } finally {
            docker("rm", "-f", "attach-ex2");
        }
    }

    /** curl against the daemon's socket: the answer's body, then its status on the last line. */
    static String[] api(String method, String path, String json) {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of(Processes.requireBinary("curl"), "-s",
                "--unix-socket", engine.daemon().socket().toString(), "-X", method, "-w", "\n%{http_code}"));
        if (json != null) {
            cmd.addAll(java.util.List.of("-H", "Content-Type: application/json", "-d", json));
        }
        cmd.add("http://berth" + path);
        String out = Processes.run(Map.of(), null, 30, cmd.toArray(String[]::new)).stdout();
        int nl = out.lastIndexOf('\n');
        return new String[] {out.substring(0, nl), out.substring(nl + 1)};
    }

    static boolean running(String name) {
        return docker("inspect", "-f", "{{.State.Running}}", name).stdout().strip().equals("true");
    }

    static void awaitRunning(String name) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(20).toNanos();
        while (!running(name)) {
            assertTrue(System.nanoTime() - deadline < 0, name + " did not start");
            Thread.sleep(50);
        }
    }

    static long attachThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("berth-attach-") || t.getName().startsWith("berth-exec-sync-")).count();
    }

    static void awaitNoAttachThreads() throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofSeconds(15).toNanos();
        while (attachThreads() > 0) {
            assertTrue(System.nanoTime() - deadline < 0, () -> "attach threads left: " + Thread.getAllStackTraces().entrySet().stream()
                    .filter(e -> e.getKey().getName().startsWith("berth-"))
                    .map(e -> e.getKey().getName() + " " + java.util.Arrays.toString(e.getValue())).toList());
            Thread.sleep(50);
        }
    }

    /** runc sizes the terminal from the spec when it makes it: no window in which the process sees 0x0. */
    @Test
    void aTtyContainersConsoleSizeIsInItsSpec() throws Exception {
        var created = api("POST", "/containers/create?name=attach-cs", "{\"Image\":\"" + ref + "\",\"Tty\":true,"
                + "\"Cmd\":[\"busybox\",\"stty\",\"size\"],\"HostConfig\":{\"NetworkMode\":\"none\",\"ConsoleSize\":[19,67]}}");
        assertEquals("201", created[1], created[0]);
        try {
            String id = dev.berth.images.Json.MAPPER.readTree(created[0]).path("Id").asText();
            var spec = dev.berth.images.Json.MAPPER.readTree(
                    engine.daemon().dataRoot().resolve("containers").resolve(id).resolve("config.json").toFile());
            assertEquals(19, spec.path("process").path("consoleSize").path("height").asInt(), spec.path("process").toString());
            assertEquals(67, spec.path("process").path("consoleSize").path("width").asInt(), spec.path("process").toString());
            docker("start", "attach-cs").assertOk();
            assertEquals("0\n", docker("wait", "attach-cs").assertOk().stdout());
            assertEquals("19 67", docker("logs", "attach-cs").assertOk().stdout().strip());
        } finally {
            docker("rm", "-f", "attach-cs");
        }
    }

    @Test
    void runWithATtyGetsItsSizeAndInput() {
        var size = dockerInPty(27, 93, "", "run -t --rm --network none " + ref + " busybox stty size");
        assertEquals(0, size.exitCode(), size.stdout() + size.stderr());
        assertEquals("27 93", size.stdout().strip());

        var shell = dockerInPty(24, 80, "echo hello-$((40+2))\nexit 5\n", "run -it --rm --network none " + ref + " sh");
        assertEquals(5, shell.exitCode(), shell.stdout() + shell.stderr());
        assertTrue(shell.stdout().contains("hello-42"), shell.stdout());
    }

    @Test
    void execItRunsAnInteractiveShell() {
        docker("run", "-d", "--network", "none", "--name", "attach-ex3", ref, "sleep", "1000").assertOk();
        try {
            var shell = dockerInPty(24, 80, "echo in-$((2+3))\nexit 6\n", "exec -it attach-ex3 sh");
            assertEquals(6, shell.exitCode(), shell.stdout() + shell.stderr());
            assertTrue(shell.stdout().contains("in-5"), shell.stdout());
        } finally {
            docker("rm", "-f", "attach-ex3");
        }
    }

    /** Detach keys end the attach and leave the container running, as Docker's do. */
    @Test
    void detachKeysLeaveTheContainerRunning() throws Exception {
        docker("run", "-d", "-i", "-t", "--network", "none", "--name", "attach-dk", ref, "sh").assertOk();
        try {
            try (var conn = dev.berth.engine.testing.HijackedConnection.post(engine.daemon().socket(),
                    "/containers/attach-dk/attach?stream=1&stdin=1&stdout=1&stderr=1&detachKeys=ctrl-x,y", null)) {
                assertTrue(conn.await("\r\n\r\n", java.time.Duration.ofSeconds(10)), conn.text());
                assertTrue(conn.text().startsWith("HTTP/1.1 101 UPGRADED"), conn.text());
                conn.write("echo marker-$((6*7))\n");
                assertTrue(conn.await("marker-42", java.time.Duration.ofSeconds(10)), conn.text());
                conn.write(new byte[] {0x18, 'y'});
                assertTrue(conn.awaitEof(java.time.Duration.ofSeconds(10)), "the attach did not end: " + conn.text());
            }
            assertTrue(running("attach-dk"));
            // Typing into the shell still works for the next client: the terminal's stdin was left open.
            try (var again = dev.berth.engine.testing.HijackedConnection.post(engine.daemon().socket(),
                    "/containers/attach-dk/attach?stream=1&stdin=1&stdout=1&stderr=1", null)) {
                assertTrue(again.await("\r\n\r\n", java.time.Duration.ofSeconds(10)));
                again.write("echo second-$((1+1))\n");
                assertTrue(again.await("second-2", java.time.Duration.ofSeconds(10)), again.text());
                again.write(new byte[] {0x10, 0x11});
                assertTrue(again.awaitEof(java.time.Duration.ofSeconds(10)));
            }
            assertTrue(running("attach-dk"));
            var bad = api("POST", "/containers/attach-dk/attach?stream=1&stdin=1&detachKeys=ctrl-%C3%A9", null);
            assertEquals("400", bad[1], bad[0]);
            assertTrue(bad[0].contains("Invalid detach keys"), bad[0]);
            awaitNoAttachThreads();
        } finally {
            docker("rm", "-f", "attach-dk");
        }
    }

    /**
     * docker attach in a terminal: the detach keys detach, the shell goes on running. Not ctrl-p ctrl-q
     * here: the input may reach the terminal before the CLI makes it raw, and a cooked terminal eats
     * ctrl-q (XON); the daemon's own handling of the default keys is tested over the raw API above.
     */
    @Test
    void dockerAttachDetaches() {
        docker("run", "-d", "-i", "-t", "--network", "none", "--name", "attach-cli", ref, "sh").assertOk();
        try {
            // The CLI ends a detached attach with "read escape sequence" and status 1, as with Docker.
            var attach = dockerInPty(24, 80, "\u0018x\n", "attach --detach-keys ctrl-x,x attach-cli");
            assertTrue(attach.stdout().contains("read escape sequence"), attach.stdout() + attach.stderr());
            assertTrue(running("attach-cli"));
        } finally {
            docker("rm", "-f", "attach-cli");
        }
    }

    @Test
    void resizeReachesTheContainersTerminal() {
        docker("run", "-d", "-t", "--network", "none", "--name", "attach-rs", ref, "sleep", "1000").assertOk();
        try {
            var r = api("POST", "/containers/attach-rs/resize?h=20&w=70", null);
            assertEquals("200", r[1], r[0]);
            var size = docker("exec", "attach-rs", "busybox", "stty", "-F", "/proc/1/fd/0", "size").assertOk();
            assertEquals("20 70\n", size.stdout());
            var again = api("POST", "/containers/attach-rs/resize?h=41&w=132", null);
            assertEquals("200", again[1], again[0]);
            assertEquals("41 132\n", docker("exec", "attach-rs", "busybox", "stty", "-F", "/proc/1/fd/0", "size").stdout());
        } finally {
            docker("rm", "-f", "attach-rs");
        }
    }

    /**
     * A window dragged to a new size sends a burst of resizes. conmon 2.1.6 applies the first of the sizes
     * it finds queued together, so they must reach it one at a time: with conmon stopped while the burst
     * arrives, the last size is still the one the process ends with.
     */
    @Test
    void aBurstOfResizesEndsAtTheLastSize() throws Exception {
        docker("run", "-d", "-t", "--network", "none", "--name", "attach-burst", ref, "sleep", "1000").assertOk();
        long conmon = -1;
        try {
            String id = docker("inspect", "-f", "{{.Id}}", "attach-burst").assertOk().stdout().strip();
            conmon = Long.parseLong(java.nio.file.Files.readString(
                    engine.daemon().dataRoot().resolve("containers").resolve(id).resolve("conmon.pid")).strip());
            Processes.run(Map.of(), null, 10, "kill", "-STOP", Long.toString(conmon)).assertOk();
            for (int i = 0; i < 10; i++) {
                var r = api("POST", "/containers/attach-burst/resize?h=" + (20 + i) + "&w=" + (60 + i), null);
                assertEquals("200", r[1], r[0]);
            }
            Processes.run(Map.of(), null, 10, "kill", "-CONT", Long.toString(conmon)).assertOk();
            conmon = -1;
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            String size;
            do {
                size = docker("exec", "attach-burst", "busybox", "stty", "-F", "/proc/1/fd/0", "size").assertOk().stdout();
                assertTrue(System.nanoTime() - deadline < 0, "the terminal stayed at " + size);
            } while (!size.equals("29 69\n"));
        } finally {
            if (conmon > 0) {
                Processes.run(Map.of(), null, 10, "kill", "-CONT", Long.toString(conmon));
            }
            docker("rm", "-f", "attach-burst");
        }
    }

    @Test
    void execInspectReportsExitCodeAndUnknownExecIsNotFound() throws Exception {
        docker("run", "-d", "--network", "none", "--name", "attach-ex4", ref, "sleep", "1000").assertOk();
        try {
            var created = api("POST", "/containers/attach-ex4/exec", "{\"Cmd\":[\"sh\",\"-c\",\"exit 4\"]}");
            assertEquals("201", created[1], created[0]);
            String id = dev.berth.images.Json.MAPPER.readTree(created[0]).path("Id").asText();
            var before = dev.berth.images.Json.MAPPER.readTree(api("GET", "/exec/" + id + "/json", null)[0]);
            assertEquals(false, before.path("Running").asBoolean());
            assertTrue(before.path("ExitCode").isNull(), before.toString());
            assertEquals("sh", before.path("ProcessConfig").path("entrypoint").asText());
            var started = api("POST", "/exec/" + id + "/start", "{\"Detach\":true}");
            assertEquals("200", started[1], started[0]);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            com.fasterxml.jackson.databind.JsonNode after;
            do {
                after = dev.berth.images.Json.MAPPER.readTree(api("GET", "/exec/" + id + "/json", null)[0]);
                assertTrue(System.nanoTime() - deadline < 0, after.toString());
            } while (after.path("Running").asBoolean() || after.path("ExitCode").isNull());
            assertEquals(4, after.path("ExitCode").asInt());
            var twice = api("POST", "/exec/" + id + "/start", "{\"Detach\":true}");
            assertEquals("409", twice[1], twice[0]);

            var unknown = api("GET", "/exec/nosuchexec/json", null);
            assertEquals("404", unknown[1]);
            assertTrue(unknown[0].contains("No such exec instance: nosuchexec"), unknown[0]);
            assertEquals("404", api("POST", "/exec/nosuchexec/start", "{}")[1]);
            assertEquals("404", api("POST", "/exec/nosuchexec/resize?h=1&w=1", null)[1]);

            var missing = docker("exec", "attach-ex4", "nosuchcmd");
            assertEquals(127, missing.exitCode());
            assertTrue(missing.stdout().contains("executable file not found"), missing.stdout());
        } finally {
            docker("rm", "-f", "attach-ex4");
        }
    }

    /** A tty exec resized through /exec/{id}/resize: its own terminal changes, the container's does not. */
    @Test
    void execResize() throws Exception {
        docker("run", "-d", "--network", "none", "--name", "attach-ex5", ref, "sleep", "1000").assertOk();
        try {
            var created = api("POST", "/containers/attach-ex5/exec",
                    "{\"Tty\":true,\"Cmd\":[\"sh\",\"-c\",\"echo $$ > /exec.pid; exec sleep 1000\"]}");
            String id = dev.berth.images.Json.MAPPER.readTree(created[0]).path("Id").asText();
            assertEquals("200", api("POST", "/exec/" + id + "/start", "{\"Detach\":true,\"Tty\":true}")[1]);
            var r = api("POST", "/exec/" + id + "/resize?h=17&w=61", null);
            assertEquals("200", r[1], r[0]);
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            String size;
            do {
                size = docker("exec", "attach-ex5", "sh", "-c", "busybox stty -F /proc/$(cat /exec.pid)/fd/0 size").stdout();
                assertTrue(System.nanoTime() - deadline < 0, size);
            } while (size.isBlank());
            assertEquals("17 61\n", size);
            var json = dev.berth.images.Json.MAPPER.readTree(api("GET", "/exec/" + id + "/json", null)[0]);
            assertTrue(json.path("Running").asBoolean(), json.toString());
            assertTrue(json.path("Pid").asLong() > 0, json.toString());
        } finally {
            docker("rm", "-f", "attach-ex5");
        }
    }

    /**
     * The docker CLI and the desktop create a tty exec with ConsoleSize and resize it as soon as it
     * starts. conmon 2.1.6 applies the first of the sizes that pile up before it holds the terminal,
     * so the newest one has to reach the process anyway: it is what the client's window shows.
     */
    @Test
    void aResizeRightAfterTheStartWinsOverTheConsoleSize() throws Exception {
        docker("run", "-d", "--network", "none", "--name", "attach-ex6", ref, "sleep", "1000").assertOk();
        try {
            for (int round = 0; round < 4; round++) {
                int rows = 28 + round;
                int cols = 102 + round;
                var created = api("POST", "/containers/attach-ex6/exec", "{\"Tty\":true,\"AttachStdout\":true,\"ConsoleSize\":[24,80],"
                        + "\"Cmd\":[\"sh\",\"-c\",\"i=0; while [ $i -lt 100 ]; do i=$((i+1)); s=$(busybox stty size); [ \\\"$s\\\" = \\\"" + rows + " " + cols
                        + "\\\" ] && break; sleep 0.1; done; echo $s\"]}");
                assertEquals("201", created[1], created[0]);
                String id = dev.berth.images.Json.MAPPER.readTree(created[0]).path("Id").asText();
                try (var conn = dev.berth.engine.testing.HijackedConnection.post(engine.daemon().socket(),
                        "/exec/" + id + "/start", "{\"Tty\":true,\"ConsoleSize\":[24,80]}")) {
                    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
                    String[] r;
                    while (!(r = api("POST", "/exec/" + id + "/resize?h=" + rows + "&w=" + cols, null))[1].equals("200")) {
                        assertTrue(System.nanoTime() - deadline < 0, r[0]);
                        Thread.sleep(5);
                    }
                    assertTrue(conn.awaitEof(java.time.Duration.ofSeconds(15)), conn.text());
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("(\\d+ \\d+)\\r?\\n").matcher(
                            conn.text().substring(conn.text().indexOf("\r\n\r\n") + 4));
                    assertTrue(m.find(), conn.text());
                    assertEquals(rows + " " + cols, m.group(1), "round " + round);
                }
            }
        } finally {
            docker("rm", "-f", "attach-ex6");
        }
    }

    /** docker rm -f while a client is attached ends the attach (no hang) and frees its threads. */
    @Test
    void removeWhileAttachedEndsTheAttach() throws Exception {
        ProcessBuilder pb = new ProcessBuilder(Processes.requireBinary("docker"), "run", "-i", "--network", "none",
                "--name", "attach-rm", ref, "cat");
        pb.environment().putAll(env());
        pb.redirectErrorStream(true);
        Process run = pb.start(); // its stdin stays open: cat would run forever
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
            while (!running("attach-rm")) {
                if (!run.isAlive() || System.nanoTime() - deadline > 0) {
                    run.destroyForcibly();
                    org.junit.jupiter.api.Assertions.fail("docker run did not start: "
                            + new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
                }
                Thread.sleep(50);
            }
            assertTrue(attachThreads() > 0);
            docker("rm", "-f", "attach-rm").assertOk();
            assertTrue(run.waitFor(20, java.util.concurrent.TimeUnit.SECONDS), "docker run did not end after rm -f");
            awaitNoAttachThreads();
        } finally {
            run.destroyForcibly();
            docker("rm", "-f", "attach-rm");
        }
    }

    /** A client killed with -9 leaves neither threads nor a stopped container behind. */
    @Test
    // It once hung in CI: the attach request's own end (its empty LastHttpContent) reached the hijacked
    // stdin when the worker hijacked before the event loop delivered it, so stdin "ended" before "ping".
    void killedClientLeaksNothing() throws Exception {
        docker("run", "-d", "-i", "--network", "none", "--name", "attach-kill", ref, "cat").assertOk();
        ProcessBuilder pb = new ProcessBuilder(Processes.requireBinary("docker"), "attach", "attach-kill");
        pb.environment().putAll(env());
        pb.redirectErrorStream(true);
        Process attach = pb.start();
        try {
            long deadline = System.nanoTime() + java.time.Duration.ofSeconds(10).toNanos();
            while (attachThreads() == 0) {
                assertTrue(System.nanoTime() - deadline < 0, "docker attach never attached");
                Thread.sleep(20);
            }
            attach.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
            attach.getOutputStream().flush();
            // Bounded: a lost stdin must fail the test, not hang it.
            var echo = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(attach.getInputStream().readNBytes(5), StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertEquals("ping\n", echo.get(15, java.util.concurrent.TimeUnit.SECONDS));
            attach.destroyForcibly().waitFor();
            awaitNoAttachThreads();
            assertTrue(running("attach-kill"));
        } finally {
            attach.destroyForcibly();
            docker("rm", "-f", "attach-kill");
        }
    }
}
