package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The docker CLI's run options that no other class drives through it (-e, --entrypoint, -l, -w, -u
 * together), {@code docker logs} with -f, --tail, -t, --since and --until, and {@code /wait}
 * answering its headers before the container exits.
 */
class DockerCliRunOptionsAndLogsTest {
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

    @Test
    void envEntrypointLabelsWorkdirAndUserReachTheContainer() {
        var run = docker("run", "--name", "fix4-opts", "--network", "none", "-e", "FIX4_A=1", "--env", "FIX4_B=two words",
                "-l", "fix4.role=test", "--label", "fix4.tier=back", "-w", "/made/here", "-u", "65534:65534",
                "--entrypoint", "sh", ref, "-c", "echo \"$FIX4_A|$FIX4_B|$(pwd)|$(id -u):$(id -g)|$0\"");
        try {
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("1|two words|/made/here|65534:65534|sh\n", run.stdout());
            assertEquals("[sh] [-c echo \"$FIX4_A|$FIX4_B|$(pwd)|$(id -u):$(id -g)|$0\"] test back",
                    docker("inspect", "-f", "{{.Config.Entrypoint}} {{.Config.Cmd}} {{index .Config.Labels \"fix4.role\"}} "
                            + "{{index .Config.Labels \"fix4.tier\"}}", "fix4-opts").assertOk().stdout().strip());
            assertEquals("fix4-opts\n", docker("ps", "-a", "--filter", "label=fix4.role=test", "--format", "{{.Names}}")
                    .assertOk().stdout());
        } finally {
            docker("rm", "-f", "fix4-opts");
        }
    }

    @Test
    void logsFollowTailTimestampsSinceAndUntil() throws Exception {
        // Prints three lines, then waits for a file before the last one: -f must show them as they come.
        docker("run", "-d", "--name", "fix4-logs", "--network", "none", ref, "sh", "-c",
                "echo one; echo two >&2; echo three; while [ ! -e /go ]; do sleep 0.1; done; echo four").assertOk();
        try {
            ProcessBuilder pb = new ProcessBuilder(Processes.requireBinary("docker"), "logs", "-f", "fix4-logs")
                    .redirectErrorStream(true);
            pb.environment().put("DOCKER_HOST", engine.daemon().host());
            pb.environment().put("DOCKER_CONFIG", config.toString());
            Process follow = pb.start();
            follow.getOutputStream().close();
            List<String> seen = new ArrayList<>();
            // Its own thread: a blocked reader in the common pool would starve Processes' output drains.
            CompletableFuture<Void> reader = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                try (var in = new java.io.BufferedReader(new java.io.InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String l; (l = in.readLine()) != null; ) {
                        synchronized (seen) {
                            seen.add(l);
                            seen.notifyAll();
                        }
                    }
                } catch (java.io.IOException ignored) {
                    // the process ended
                }
                reader.complete(null);
            });
            try {
                awaitLines(seen, 3);
                assertTrue(follow.isAlive(), "-f keeps following a running container");
                docker("exec", "fix4-logs", "sh", "-c", ": > /go").assertOk();
                assertTrue(follow.waitFor(60, TimeUnit.SECONDS), "-f ends when the container exits");
                reader.get(10, TimeUnit.SECONDS);
                synchronized (seen) {
                    // stdout and stderr are separate streams: only each one's own order is kept.
                    assertEquals(List.of("four", "one", "three", "two"), seen.stream().sorted().toList(), seen.toString());
                    assertTrue(seen.indexOf("one") < seen.indexOf("three") && seen.indexOf("three") < seen.indexOf("four"), seen.toString());
                }
            } finally {
                follow.destroyForcibly();
            }
            docker("wait", "fix4-logs").assertOk();

            assertEquals("four\n", docker("logs", "--tail", "1", "fix4-logs").assertOk().stdout());
            var stamped = docker("logs", "-t", "--tail", "1", "fix4-logs").assertOk().stdout().strip();
            String[] parts = stamped.split(" ", 2);
            assertEquals("four", parts[1], stamped);
            Instant at = Instant.parse(parts[0]);
            assertTrue(parts[0].matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z"), "RFC 3339 with nanoseconds: " + stamped);
            // --since that instant keeps it (inclusive), --until just before it drops it.
            assertEquals("four\n", docker("logs", "--since", parts[0], "fix4-logs").assertOk().stdout());
            var before = docker("logs", "--until", at.minusNanos(1).toString(), "fix4-logs").assertOk();
            assertEquals("one\nthree\n", before.stdout());
            assertEquals("two\n", before.stderr());
        } finally {
            docker("rm", "-f", "fix4-logs");
        }
    }

    private static void awaitLines(List<String> seen, int n) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        synchronized (seen) {
            while (seen.size() < n) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                assertTrue(left > 0, "lines so far: " + seen);
                seen.wait(left);
            }
        }
    }

    /** The docker CLI waits for /wait's headers before it starts the container: they must not wait for the exit. */
    @Test
    void waitSendsItsHeadersBeforeTheExit() throws Exception {
        docker("run", "-d", "--name", "fix4-wait", "--network", "none", ref, "sleep", "300").assertOk();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(engine.daemon().socket()))) {
            ch.write(ByteBuffer.wrap(("POST /v1.44/containers/fix4-wait/wait?condition=next-exit HTTP/1.1\r\nHost: berth\r\n"
                    + "Content-Length: 0\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
            InputStream in = Channels.newInputStream(ch);
            CompletableFuture<String> headers = new CompletableFuture<>();
            Thread.ofPlatform().daemon().start(() -> {
                StringBuilder b = new StringBuilder();
                try {
                    while (!b.toString().endsWith("\r\n\r\n")) {
                        int c = in.read();
                        if (c < 0) {
                            break;
                        }
                        b.append((char) c);
                    }
                } catch (java.io.IOException e) {
                    headers.completeExceptionally(e);
                }
                headers.complete(b.toString());
            });
            // The container sleeps for 300 s: headers within 60 s can only be the early flush.
            String h = headers.get(60, TimeUnit.SECONDS);
            assertTrue(h.startsWith("HTTP/1.1 200"), h);
            assertEquals("true", docker("inspect", "-f", "{{.State.Running}}", "fix4-wait").assertOk().stdout().strip());
        } finally {
            docker("rm", "-f", "fix4-wait");
        }
    }
}
