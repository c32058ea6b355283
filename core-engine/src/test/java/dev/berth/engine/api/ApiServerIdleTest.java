package dev.berth.engine.api;

import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Idle keep-alive connections, as docker-java's pool (Testcontainers) keeps them: the daemon sets no idle
 * timeout, like dockerd, so a connection idle for longer than a short configured one is still served; and
 * a configured timeout ({@code berth.api.idleTimeout}) closes a connection only while it waits for its
 * next request, never in the middle of a long silent response.
 */
class ApiServerIdleTest {
    static final Duration SHORT = Duration.ofMillis(700);
    /** Blocking reads each on their own thread: the common pool may have a single worker on a 2-core machine. */
    static final java.util.concurrent.Executor THREADS = r -> Thread.ofPlatform().daemon().start(r);

    @Test
    void theDaemonKeepsAnIdleConnectionAndServesItsNextRequest() throws Exception {
        assertNull(ApiServer.idleTimeout(""), "no idle timeout unless one is configured");
        assertEquals(Duration.ofSeconds(90), ApiServer.idleTimeout("90s"));
        assertEquals(Duration.ofMillis(500), ApiServer.idleTimeout("500ms"));
        assertNull(ApiServer.idleTimeout("soon"));
        try (TestDaemon daemon = TestDaemon.startWithBridge("", null);
             SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
            assertTrue(request(ch, "/_ping").startsWith("HTTP/1.1 200"));
            // Four times the timeout that the next test shows being enforced, with nothing on the wire.
            Thread.sleep(SHORT.multipliedBy(4).toMillis());
            String again = request(ch, "/v1.41/version");
            assertTrue(again.startsWith("HTTP/1.1 200") && again.contains("\"ApiVersion\""), again);
        }
    }

    @Test
    void aConfiguredIdleTimeoutClosesOnlyConnectionsWaitingForARequest() throws Exception {
        Router router = new Router()
                .add(Route.of("GET", "/_ping", (req, res) -> res.text(200, "text/plain", "OK")))
                .add(Route.of("GET", "/slow", (req, res) -> {
                    // A streamed response silent for longer than the idle timeout, like logs -f or /events.
                    try (OutputStream out = res.stream(200, "text/plain")) {
                        out.write("first\n".getBytes(StandardCharsets.US_ASCII));
                        out.flush();
                        Thread.sleep(SHORT.multipliedBy(3).toMillis());
                        out.write("second\n".getBytes(StandardCharsets.US_ASCII));
                    }
                }));
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "rt87idle");
        ApiServer server = new ApiServer(router, "test", SHORT);
        try {
            server.start(dir.resolve("s.sock"));
            UnixDomainSocketAddress addr = UnixDomainSocketAddress.of(dir.resolve("s.sock"));
            try (SocketChannel idle = SocketChannel.open(addr);
                 SocketChannel slow = SocketChannel.open(addr);
                 SocketChannel busy = SocketChannel.open(addr)) {
                assertTrue(request(idle, "/_ping").startsWith("HTTP/1.1 200"));
                long since = System.nanoTime();
                CompletableFuture<Long> idleClosed = CompletableFuture.supplyAsync(() -> {
                    try {
                        return idle.read(ByteBuffer.allocate(64)) < 0 ? System.nanoTime() : -1L;
                    } catch (IOException e) {
                        return -2L;
                    }
                }, THREADS);
                CompletableFuture<String> slowResponse = CompletableFuture.supplyAsync(() -> {
                    try {
                        return request(slow, "/slow");
                    } catch (IOException e) {
                        return "failed: " + e;
                    }
                }, THREADS);
                // Requests every half timeout keep a connection open well past the timeout.
                for (int i = 0; i < 6; i++) {
                    assertTrue(request(busy, "/_ping").startsWith("HTTP/1.1 200"), "request " + i);
                    Thread.sleep(SHORT.toMillis() / 2);
                }
                long closedAt = idleClosed.get(5, TimeUnit.SECONDS);
                assertTrue(closedAt > 0, "the idle connection is closed by the server, not reset: " + closedAt);
                long closedAfter = TimeUnit.NANOSECONDS.toMillis(closedAt - since);
                assertTrue(closedAfter >= SHORT.toMillis() - 50 && closedAfter < SHORT.toMillis() * 2,
                        "closed after about the timeout, while the busy one lived on: " + closedAfter + " ms");
                String s = slowResponse.get(10, TimeUnit.SECONDS);
                assertTrue(s.contains("first") && s.contains("second"), "a silent response is not cut: " + s);
                // Once the slow response is over, that connection is idle too.
                assertEquals(-1, readWithin(slow, Duration.ofSeconds(5)));
            }
        } finally {
            server.close();
            Files.deleteIfExists(dir.resolve("s.sock"));
            Files.deleteIfExists(dir);
        }
    }

    /** One keep-alive GET on {@code ch}; reads until the response is complete (length or last chunk). */
    static String request(SocketChannel ch, String path) throws IOException {
        ch.write(ByteBuffer.wrap(("GET " + path + " HTTP/1.1\r\nHost: berth\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        StringBuilder sb = new StringBuilder();
        ByteBuffer buf = ByteBuffer.allocate(8192);
        while (!complete(sb.toString())) {
            buf.clear();
            int n = ch.read(buf);
            if (n < 0) {
                throw new IOException("connection closed after: " + sb);
            }
            sb.append(new String(buf.array(), 0, n, StandardCharsets.ISO_8859_1));
        }
        return sb.toString();
    }

    private static boolean complete(String r) {
        int end = r.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        String head = r.substring(0, end).toLowerCase(java.util.Locale.ROOT);
        if (head.contains("transfer-encoding: chunked")) {
            return r.endsWith("\r\n0\r\n\r\n");
        }
        for (String line : head.split("\r\n")) {
            if (line.startsWith("content-length:")) {
                return r.length() - end - 4 >= Integer.parseInt(line.substring(15).strip());
            }
        }
        return true;
    }

    /** What a blocking read sees within {@code max}: -1 at end of stream, else the byte count (0 = nothing yet). */
    static int readWithin(SocketChannel ch, Duration max) throws Exception {
        CompletableFuture<Integer> r = CompletableFuture.supplyAsync(() -> {
            try {
                return ch.read(ByteBuffer.allocate(64));
            } catch (IOException e) {
                return -1;
            }
        }, THREADS);
        try {
            return r.get(max.toMillis(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            return 0;
        }
    }
}
