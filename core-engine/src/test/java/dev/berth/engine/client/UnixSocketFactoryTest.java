package dev.berth.engine.client;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UnixSocketFactoryTest {
    @TempDir
    Path dir;

    /**
     * The deadlock this socket exists to avoid: a reader blocked before any reply arrives must not
     * stop a writer on the same socket. The peer only answers once it has the whole upload, so an
     * adapter whose reads hold a lock the writes need (Channels.newInputStream did up to JDK 17)
     * hangs here forever.
     */
    @Test
    void aBlockedReaderDoesNotStopAConcurrentWriter() throws Exception {
        Path path = dir.resolve("peer.sock");
        int upload = 8 * 1024 * 1024;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            CompletableFuture<Object> peer = async(() -> {
                try (SocketChannel ch = server.accept()) {
                    ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
                    long got = 0;
                    while (got < upload) {
                        buf.clear();
                        int n = ch.read(buf);
                        if (n < 0) {
                            throw new IOException("client hung up after " + got);
                        }
                        got += n;
                    }
                    ch.write(ByteBuffer.wrap(("got " + got + "\n").getBytes()));
                }
                return null;
            });

            try (Socket socket = new UnixSocketFactory(path).createSocket()) {
                socket.connect(null);
                InputStream in = socket.getInputStream();
                OutputStream out = socket.getOutputStream();
                CompletableFuture<String> reply = async(() -> new String(in.readAllBytes()));
                // Give the reader time to block inside read() before the upload starts.
                Thread.sleep(200);
                assertFalse(reply.isDone(), "the peer sent nothing yet, so the reader must still wait");
                assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
                    byte[] chunk = new byte[256 * 1024];
                    for (int sent = 0; sent < upload; sent += chunk.length) {
                        out.write(chunk);
                    }
                    assertEquals("got " + upload + "\n", reply.get(20, TimeUnit.SECONDS));
                });
                peer.get(5, TimeUnit.SECONDS);
            }
        }
    }

    /** OkHttp probes an idle pooled connection with a 1 ms read timeout and expects the socket to survive it. */
    @Test
    void readTimeoutThrowsAndLeavesTheSocketUsable() throws Exception {
        Path path = dir.resolve("slow.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (Socket socket = new UnixSocketFactory(path).createSocket(); SocketChannel peer = connectAndAccept(socket, server)) {
                socket.setSoTimeout(100);
                long start = System.nanoTime();
                assertThrows(SocketTimeoutException.class, () -> socket.getInputStream().read());
                long tookMs = (System.nanoTime() - start) / 1_000_000;
                assertTrue(tookMs >= 90 && tookMs < 5_000, "timed out after " + tookMs + " ms");
                assertFalse(socket.isClosed());

                peer.write(ByteBuffer.wrap(new byte[] {42}));
                socket.setSoTimeout(0);
                assertEquals(42, socket.getInputStream().read());
            }
        }
    }

    /** Cancelling a stream closes its socket from another thread; the blocked reader must wake and fail. */
    @Test
    void closeWakesABlockedReader() throws Exception {
        Path path = dir.resolve("idle.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            Socket socket = new UnixSocketFactory(path).createSocket();
            try (SocketChannel ignored = connectAndAccept(socket, server)) {
                CompletableFuture<Throwable> reader = async(() -> {
                    try {
                        socket.getInputStream().read();
                        return null;
                    } catch (IOException e) {
                        return e;
                    }
                });
                Thread.sleep(200);
                assertFalse(reader.isDone());
                socket.close();
                Throwable failure = reader.get(5, TimeUnit.SECONDS);
                assertTrue(failure instanceof SocketException, "got " + failure);
                assertTrue(socket.isClosed());
            }
        }
    }

    @Test
    void roundTripsBytesBothWays() throws Exception {
        Path path = dir.resolve("echo.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(path));
            try (Socket socket = new UnixSocketFactory(path).createSocket(); SocketChannel peer = connectAndAccept(socket, server)) {
                socket.getOutputStream().write("ping".getBytes());
                ByteBuffer got = ByteBuffer.allocate(4);
                while (got.hasRemaining()) {
                    peer.read(got);
                }
                assertArrayEquals("ping".getBytes(), got.array());
                peer.write(ByteBuffer.wrap("pong".getBytes()));
                peer.shutdownOutput();
                assertEquals("pong", new String(socket.getInputStream().readAllBytes()));
            }
        }
    }

    @Test
    void connectFailuresSayWhy() throws Exception {
        Path missing = dir.resolve("missing.sock");
        UnixSocketFactory.ConnectFailure f = assertThrows(UnixSocketFactory.ConnectFailure.class,
                () -> new UnixSocketFactory(missing).createSocket().connect(null));
        assertEquals(UnixSocketFactory.Reason.MISSING, f.reason());

        Path stale = dir.resolve("stale.sock");
        ServerSocketChannel s = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        s.bind(UnixDomainSocketAddress.of(stale));
        s.close(); // the file stays behind with nobody listening, as after a crashed daemon
        f = assertThrows(UnixSocketFactory.ConnectFailure.class, () -> new UnixSocketFactory(stale).createSocket().connect(null));
        assertEquals(UnixSocketFactory.Reason.REFUSED, f.reason());

        // Root is never denied, so the JDK's wording for EACCES (a BindException) is fed in directly.
        f = UnixSocketFactory.classify(stale, new BindException("Permission denied"));
        assertEquals(UnixSocketFactory.Reason.PERMISSION_DENIED, f.reason());
    }

    /** On its own platform thread: the common pool has a single worker on a 2-core machine. */
    static <T> CompletableFuture<T> async(java.util.concurrent.Callable<T> task) {
        CompletableFuture<T> f = new CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                f.complete(task.call());
            } catch (Throwable t) {
                f.completeExceptionally(t);
            }
        });
        return f;
    }

    private static SocketChannel connectAndAccept(Socket socket, ServerSocketChannel server) throws Exception {
        CompletableFuture<SocketChannel> accepted = async(server::accept);
        socket.connect(null);
        return accepted.get(5, TimeUnit.SECONDS);
    }
}
