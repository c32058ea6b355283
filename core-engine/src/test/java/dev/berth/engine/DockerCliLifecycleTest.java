package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The real docker CLI driving a container's lifecycle on Berth: start again, restart, pause, rename,
 * stop signals and timeouts, kill signals, restart policies (also across a daemon restart), a missing
 * command, OOM kills, wait conditions and the container events.
 */
class DockerCliLifecycleTest {
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge("bl0", "10.61.0.0/24"), config);
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            // Containers' rm took their CNI chains; the bridge device is the test's own.
            if (java.nio.file.Files.exists(Path.of("/sys/class/net/bl0"))) {
                Processes.run(java.util.Map.of(), null, 10, "ip", "link", "del", "bl0");
            }
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    static String inspect(String name, String format) {
        return docker("inspect", "-f", format, name).assertOk().stdout().strip();
    }

    static void await(String what, Supplier<Boolean> condition, Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("timed out after " + within + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }

    static String httpGet(int port) throws IOException, InterruptedException {
        HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
        return r.body();
    }

    /** A raw API call over the daemon's socket, for what the docker CLI does not expose (wait conditions). */
    static String api(String method, String path) throws IOException {
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(engine.daemon().socket()))) {
            String req = method + " " + path + " HTTP/1.1\r\nHost: docker\r\nContent-Length: 0\r\nConnection: close\r\n\r\n";
            ch.write(ByteBuffer.wrap(req.getBytes(StandardCharsets.US_ASCII)));
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (InputStream in = Channels.newInputStream(ch)) {
                in.transferTo(b);
            }
            return b.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void startAgainRemountsRepublishesAndAppendsLogs() throws Exception {
        String name = "lifecycle-again";
        docker("run", "-d", "--name", name, "-p", "127.0.0.1::80", ref, "sh", "-c",
                "echo run; mkdir -p /www; echo hello > /www/index.html; exec httpd -f -p 80 -h /www").assertOk();
        String format = "{{(index (index .NetworkSettings.Ports \"80/tcp\") 0).HostPort}}";
        int port = Integer.parseInt(inspect(name, format));
        await("httpd", () -> {
            try {
                return httpGet(port).equals("hello\n");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, Duration.ofSeconds(20));
        docker("stop", "-t", "1", name).assertOk();
        assertEquals("exited", inspect(name, "{{.State.Status}}"));

        docker("start", name).assertOk();
        assertEquals("running", inspect(name, "{{.State.Status}}"));
        int again = Integer.parseInt(inspect(name, format));
        await("httpd after the second start", () -> {
            try {
                return httpGet(again).equals("hello\n");
            } catch (IOException | InterruptedException e) {
                return false;
            }
        }, Duration.ofSeconds(20));
        assertEquals("run\nrun\n", docker("logs", name).assertOk().stdout(), "the second run's output is appended");
        docker("rm", "-f", name).assertOk();
    }

    @Test
    void restartStopsThenStartsAndSaysSo() throws Exception {
        String name = "lifecycle-restart";
        Instant since = Instant.now();
        docker("run", "-d", "--name", name, ref, "sh", "-c",
                "trap 'exit 0' TERM; echo started; while true; do sleep 0.1; done").assertOk();
        String firstStart = inspect(name, "{{.State.StartedAt}}");
        docker("restart", "-t", "5", name).assertOk();
        assertEquals("running", inspect(name, "{{.State.Status}}"));
        assertNotEquals(firstStart, inspect(name, "{{.State.StartedAt}}"));
        assertEquals("0", inspect(name, "{{.RestartCount}}"), "a user's restart is not counted");
        await("two runs logged", () -> docker("logs", name).stdout().equals("started\nstarted\n"), Duration.ofSeconds(10));
        docker("rename", name, name + "-2").assertOk();
        docker("pause", name + "-2").assertOk();
        docker("unpause", name + "-2").assertOk();
        docker("rm", "-f", name + "-2").assertOk();

        String events = docker("events", "--since", Long.toString(since.getEpochSecond()), "--until",
                Long.toString(Instant.now().getEpochSecond() + 1), "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}")
                .assertOk().stdout();
        for (String expected : new String[]{"container create " + name, "container start " + name,
                "container kill " + name, "container die " + name, "container stop " + name, "container restart " + name,
                "container rename " + name + "-2", "container pause " + name + "-2", "container unpause " + name + "-2",
                "container destroy " + name + "-2"}) {
            assertTrue(events.lines().anyMatch(l -> l.equals(expected)), "missing \"" + expected + "\" in:\n" + events);
        }
    }

    @Test
    void pauseFreezesAndStopOrKillStillWork() throws Exception {
        String name = "lifecycle-pause";
        docker("run", "-d", "--name", name, ref, "sleep", "300").assertOk();
        docker("pause", name).assertOk();
        assertEquals("paused true true", inspect(name, "{{.State.Status}} {{.State.Paused}} {{.State.Running}}"));
        String ps = docker("ps", "--format", "{{.Names}} {{.Status}} {{.State}}").assertOk().stdout();
        assertTrue(ps.lines().anyMatch(l -> l.startsWith(name + " Up ") && l.endsWith(" (Paused) paused")), ps);
        var again = docker("pause", name);
        assertNotEquals(0, again.exitCode());
        assertTrue(again.stderr().contains("is already paused"), again.stderr());
        var start = docker("start", name);
        assertNotEquals(0, start.exitCode());
        assertTrue(start.stderr().contains("cannot start a paused container, try unpause instead"), start.stderr());
        var rm = docker("rm", name);
        assertNotEquals(0, rm.exitCode());
        assertTrue(rm.stderr().contains("container is paused"), rm.stderr());

        long t0 = System.nanoTime();
        docker("stop", "-t", "1", name).assertOk();
        assertTrue(System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(15), "a paused container stops");
        assertEquals("exited false 137", inspect(name, "{{.State.Status}} {{.State.Paused}} {{.State.ExitCode}}"));
        var unpause = docker("unpause", name);
        assertNotEquals(0, unpause.exitCode());
        assertTrue(unpause.stderr().contains("is not paused"), unpause.stderr());

        docker("start", name).assertOk();
        docker("pause", name).assertOk();
        docker("kill", name).assertOk();
        assertEquals("exited 137", inspect(name, "{{.State.Status}} {{.State.ExitCode}}"));
        docker("rm", name).assertOk();
    }

    @Test
    void renameKeepsTheContainerAndRefusesATakenName() {
        String id = docker("create", "--name", "lifecycle-old", ref, "true").assertOk().stdout().strip();
        docker("create", "--name", "lifecycle-taken", ref, "true").assertOk();
        docker("rename", "lifecycle-old", "lifecycle-new").assertOk();
        assertEquals("/lifecycle-new " + id, inspect("lifecycle-new", "{{.Name}} {{.Id}}"));
        var gone = docker("inspect", "lifecycle-old");
        assertTrue(gone.stderr().contains("No such"), gone.stderr());
        var taken = docker("rename", "lifecycle-new", "lifecycle-taken");
        assertNotEquals(0, taken.exitCode());
        assertTrue(taken.stderr().contains("Conflict. The container name \"/lifecycle-taken\" is already in use by container"),
                taken.stderr());
        var bad = docker("rename", "lifecycle-new", "lifecycle bad");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("Invalid container name"), bad.stderr());
        docker("rm", "lifecycle-new", "lifecycle-taken").assertOk();
    }

    @Test
    void stopUsesTheStopSignalThenTheTimeoutThenSigkill() throws IOException {
        String name = "lifecycle-stopsig";
        docker("run", "-d", "--name", name, "--stop-signal", "USR1", ref, "sh", "-c",
                "trap 'echo got-usr1; exit 7' USR1; echo ready; while true; do sleep 0.1; done").assertOk();
        awaitLog(name, "ready\n");
        docker("stop", name).assertOk();
        assertEquals("7", inspect(name, "{{.State.ExitCode}}"));
        assertEquals("ready\ngot-usr1\n", docker("logs", name).assertOk().stdout());

        // A container that catches SIGTERM and goes on: only the SIGKILL after StopTimeout ends it.
        // Asserted by what happened (TERM delivered, then killed: 137), not by wall-clock time,
        // which a loaded machine stretches; the lower bound only shows the timeout was waited out.
        String stubborn = "lifecycle-stubborn";
        docker("run", "-d", "--name", stubborn, "--stop-timeout", "1", ref, "sh", "-c",
                "trap 'echo got-term' TERM; echo ready; while true; do sleep 0.1; done").assertOk();
        awaitLog(stubborn, "ready\n");
        long t0 = System.nanoTime();
        docker("stop", stubborn).assertOk();
        long took = System.nanoTime() - t0;
        assertEquals("exited 137 false", inspect(stubborn, "{{.State.Status}} {{.State.ExitCode}} {{.State.OOMKilled}}"),
                "SIGKILL after the stop timeout");
        assertEquals("ready\ngot-term\n", docker("logs", stubborn).assertOk().stdout(), "SIGTERM came first");
        assertTrue(took >= TimeUnit.MILLISECONDS.toNanos(900), "StopTimeout 1 s is waited out: took " + took / 1_000_000 + " ms");
        assertEquals("304", api("POST", "/containers/" + stubborn + "/stop").lines().findFirst().orElse("").split(" ")[1]);
        docker("rm", name, stubborn).assertOk();
    }

    static void awaitLog(String name, String expected) {
        try {
            await("log " + expected.strip(), () -> docker("logs", name).stdout().equals(expected), Duration.ofSeconds(15));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void killSendsAnySignalByNameOrNumber() throws Exception {
        String name = "lifecycle-kill";
        docker("run", "-d", "--name", name, ref, "sh", "-c",
                "trap 'echo usr1' USR1; trap 'echo usr2' USR2; trap 'echo hup; exit 5' HUP; echo ready; "
                        + "while true; do sleep 0.1; done").assertOk();
        awaitLog(name, "ready\n");
        docker("kill", "-s", "USR1", name).assertOk();
        awaitLog(name, "ready\nusr1\n");
        docker("kill", "-s", "SIGUSR2", name).assertOk();
        awaitLog(name, "ready\nusr1\nusr2\n");
        var bad = docker("kill", "-s", "NOPE", name);
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("Invalid signal: NOPE"), bad.stderr());
        assertTrue(api("POST", "/containers/" + name + "/kill?signal=NOPE").startsWith("HTTP/1.1 400"));
        docker("kill", "-s", "1", name).assertOk();
        assertEquals("5", docker("wait", name).assertOk().stdout().strip());
        var notRunning = docker("kill", name);
        assertNotEquals(0, notRunning.exitCode());
        assertTrue(notRunning.stderr().contains("is not running"), notRunning.stderr());
        docker("rm", name).assertOk();
    }

    @Test
    void aMissingCommandFailsTheStartWithDockersErrorAnd127() {
        var run = docker("run", "--name", "lifecycle-nosuch", ref, "nosuch");
        assertEquals(127, run.exitCode(), run.stderr());
        assertTrue(run.stderr().contains("exec: \"nosuch\": executable file not found in $PATH"), run.stderr());
        assertEquals("created 127", inspect("lifecycle-nosuch", "{{.State.Status}} {{.State.ExitCode}}"));
        assertTrue(inspect("lifecycle-nosuch", "{{.State.Error}}").contains("executable file not found in $PATH"));
        var start = docker("start", "lifecycle-nosuch");
        assertNotEquals(0, start.exitCode());
        assertTrue(start.stderr().contains("exec: \"nosuch\": executable file not found in $PATH"), start.stderr());

        var denied = docker("run", "--name", "lifecycle-denied", ref, "/bin");
        assertEquals(126, denied.exitCode(), denied.stderr());
        assertTrue(denied.stderr().contains("permission denied"), denied.stderr());
        assertEquals("126", inspect("lifecycle-denied", "{{.State.ExitCode}}"));

        // --rm with a start that fails: the attached client gets the error and the exit code and the
        // container is gone when it returns. A hang fails at the (generous) deadline; a slow machine does not.
        var rm = engine.dockerWithin(60, "run", "--rm", "--name", "lifecycle-nosuch-rm", ref, "nosuch");
        assertEquals(127, rm.exitCode(), rm.stderr());
        assertTrue(rm.stderr().contains("executable file not found in $PATH"), rm.stderr());
        assertTrue(docker("inspect", "lifecycle-nosuch-rm").stderr().contains("No such"));
        docker("rm", "lifecycle-nosuch", "lifecycle-denied").assertOk();
    }

    @Test
    void onFailureRestartsUpToItsCountWithBackoff() throws Exception {
        String name = "lifecycle-onfailure";
        docker("run", "-d", "--name", name, "--restart", "on-failure:2", ref, "sh", "-c", "echo x; exit 3").assertOk();
        await("two restarts, then exited", () -> inspect(name, "{{.State.Status}} {{.RestartCount}}").equals("exited 2"),
                Duration.ofSeconds(20));
        assertEquals("3", inspect(name, "{{.State.ExitCode}}"));
        awaitLog(name, "x\nx\nx\n");
        assertEquals("on-failure 2", inspect(name, "{{.HostConfig.RestartPolicy.Name}} {{.HostConfig.RestartPolicy.MaximumRetryCount}}"));

        String ok = "lifecycle-onfailure-ok";
        docker("run", "-d", "--name", ok, "--restart", "on-failure", ref, "true").assertOk();
        assertEquals("0", docker("wait", ok).assertOk().stdout().strip());
        Thread.sleep(500);
        assertEquals("exited 0", inspect(ok, "{{.State.Status}} {{.RestartCount}}"), "a clean exit is not a failure");

        var bad = docker("run", "-d", "--restart", "always", "--rm", ref, "true");
        assertNotEquals(0, bad.exitCode());
        docker("rm", name, ok).assertOk();
    }

    @Test
    void alwaysRestartsUntilAManualStop() throws Exception {
        String name = "lifecycle-always";
        docker("run", "-d", "--name", name, "--restart", "always", ref, "sh", "-c", "sleep 0.2").assertOk();
        await("restarted twice", () -> Integer.parseInt(inspect(name, "{{.RestartCount}}")) >= 2, Duration.ofSeconds(20));
        docker("stop", "-t", "1", name).assertOk();
        await("stopped", () -> inspect(name, "{{.State.Status}}").equals("exited"), Duration.ofSeconds(10));
        String count = inspect(name, "{{.RestartCount}}");
        Thread.sleep(1500);
        assertEquals("exited " + count, inspect(name, "{{.State.Status}} {{.RestartCount}}"), "a stopped container stays stopped");
        docker("rm", name).assertOk();
    }

    @Test
    void policiesAreHonouredWhenTheDaemonStarts() throws Exception {
        docker("run", "-d", "--name", "lifecycle-boot-always", "--restart", "always", ref, "sleep", "300").assertOk();
        docker("run", "-d", "--name", "lifecycle-boot-unless", "--restart", "unless-stopped", ref, "sleep", "300").assertOk();
        docker("run", "-d", "--name", "lifecycle-boot-no", ref, "sleep", "300").assertOk();
        docker("stop", "-t", "0", "lifecycle-boot-always", "lifecycle-boot-unless", "lifecycle-boot-no").assertOk();

        engine.daemon().restart();

        await("always started at boot", () -> inspect("lifecycle-boot-always", "{{.State.Status}}").equals("running"),
                Duration.ofSeconds(20));
        Thread.sleep(500);
        assertEquals("exited", inspect("lifecycle-boot-unless", "{{.State.Status}}"), "unless-stopped stays stopped");
        assertEquals("exited", inspect("lifecycle-boot-no", "{{.State.Status}}"));
        docker("rm", "-f", "lifecycle-boot-always", "lifecycle-boot-unless", "lifecycle-boot-no").assertOk();
    }

    @Test
    void aMemoryHogIsOomKilled() {
        String name = "lifecycle-oom";
        docker("run", "--name", name, "--memory", "16m", ref, "sh", "-c", "tail /dev/zero");
        assertEquals("true 137", inspect(name, "{{.State.OOMKilled}} {{.State.ExitCode}}"));
        docker("start", "-a", name);
        docker("rm", name).assertOk();
        String fine = "lifecycle-no-oom";
        docker("run", "--name", fine, "--memory", "16m", ref, "true").assertOk();
        assertEquals("false 0", inspect(fine, "{{.State.OOMKilled}} {{.State.ExitCode}}"));
        docker("rm", fine).assertOk();
    }

    @Test
    void waitConditions() throws Exception {
        String name = "lifecycle-wait";
        docker("create", "--name", name, ref, "sh", "-c", "exit 4").assertOk();
        assertTrue(api("POST", "/containers/" + name + "/wait?condition=not-running").contains("\"StatusCode\":0"),
                "a created container is not running");
        CompletableFuture<String> nextExit = CompletableFuture.supplyAsync(() -> call("POST", "/containers/" + name + "/wait?condition=next-exit"), VIRTUAL);
        CompletableFuture<String> removed = CompletableFuture.supplyAsync(() -> call("POST", "/containers/" + name + "/wait?condition=removed"), VIRTUAL);
        Thread.sleep(300);
        assertFalse(nextExit.isDone());
        docker("start", name).assertOk();
        assertTrue(nextExit.get(20, TimeUnit.SECONDS).contains("\"StatusCode\":4"));
        assertTrue(api("POST", "/containers/" + name + "/wait?condition=not-running").contains("\"StatusCode\":4"));
        assertFalse(removed.isDone(), "an exit is not a removal");
        docker("rm", name).assertOk();
        assertTrue(removed.get(20, TimeUnit.SECONDS).contains("\"StatusCode\":4"));
        assertTrue(api("POST", "/containers/" + name + "/wait?condition=bogus").startsWith("HTTP/1.1 4"));
    }

    /** Not the common pool: Processes drains the CLI's output there, and these calls block. */
    static final java.util.concurrent.Executor VIRTUAL = r -> Thread.ofVirtual().start(r);

    static String call(String method, String path) {
        try {
            return api(method, path);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
