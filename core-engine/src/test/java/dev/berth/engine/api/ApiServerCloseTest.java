package dev.berth.engine.api;

import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stopping the server ends its clients' connections, so a client's next request fails instead of hanging. */
class ApiServerCloseTest {
    @Test
    void closingTheDaemonClosesIdleKeepAliveConnections() throws Exception {
        TestDaemon daemon = TestDaemon.start();
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(daemon.socket()))) {
            ch.write(ByteBuffer.wrap("GET /_ping HTTP/1.1\r\nHost: berth\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer buf = ByteBuffer.allocate(8192);
            ch.read(buf);
            String response = new String(buf.array(), 0, buf.position(), StandardCharsets.US_ASCII);
            assertTrue(response.startsWith("HTTP/1.1 200"), response);

            daemon.stop();
            // The connection was kept alive: after the close it must see end-of-stream, not silence.
            CompletableFuture<Integer> next = CompletableFuture.supplyAsync(() -> {
                try {
                    return ch.read(ByteBuffer.allocate(8192));
                } catch (java.io.IOException e) {
                    return -1;
                }
            });
            assertEquals(-1, next.get(10, TimeUnit.SECONDS));
        } finally {
            daemon.close();
        }
    }
}
