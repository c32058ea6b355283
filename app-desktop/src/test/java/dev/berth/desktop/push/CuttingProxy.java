package dev.berth.desktop.push;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A loopback TCP relay in front of a plain-HTTP registry that can run an action (stop the registry)
 * the moment a request it watches for goes through, and drop that connection: a registry lost in the
 * middle of a push, at a chosen point rather than a timed guess.
 */
final class CuttingProxy implements AutoCloseable {
    private final ServerSocket server;
    private final int upstreamPort;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicReference<Trigger> armed = new AtomicReference<>();

    private record Trigger(String marker, Runnable action) {
    }

    CuttingProxy(int upstreamPort) throws IOException {
        this.upstreamPort = upstreamPort;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().name("pushwiz-proxy").start(this::acceptLoop);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The next client request whose bytes contain {@code marker} runs {@code action}, then its connection drops. */
    void cutOn(String marker, Runnable action) {
        armed.set(new Trigger(marker, action));
    }

    boolean triggered() {
        return armed.get() == null;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            Thread.ofVirtual().start(() -> relay(client));
        }
    }

    private void relay(Socket client) {
        Socket upstream;
        try {
            upstream = new Socket(InetAddress.getLoopbackAddress(), upstreamPort);
        } catch (IOException e) {
            closeQuietly(client);
            return;
        }
        open.add(client);
        open.add(upstream);
        Thread.ofVirtual().start(() -> pump(upstream, client, false));
        pump(client, upstream, true);
    }

    private void pump(Socket from, Socket to, boolean watch) {
        byte[] buf = new byte[16384];
        try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                Trigger t = watch ? armed.get() : null;
                if (t != null && new String(buf, 0, n, StandardCharsets.ISO_8859_1).contains(t.marker())
                        && armed.compareAndSet(t, null)) {
                    t.action().run();
                    break;
                }
                out.write(buf, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // One side went away: the other is closed below.
        } finally {
            closeQuietly(from);
            closeQuietly(to);
        }
    }

    private void closeQuietly(Socket s) {
        open.remove(s);
        try {
            s.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
        for (Socket s : open) {
            closeQuietly(s);
        }
    }
}
