package dev.berth.desktop.engine;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TLS endpoint in front of a real daemon's Unix socket (the Berth daemon serves only Unix sockets),
 * as stunnel or a TLS-terminating proxy would put one: requires a client certificate, then passes
 * bytes both ways unchanged.
 */
final class TlsProxy implements AutoCloseable {
    private final SSLServerSocket server;
    private final Path target;
    private final Set<Closeable> open = ConcurrentHashMap.newKeySet();
    private final List<String> clients = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    TlsProxy(SSLContext context, Path target) throws IOException {
        this.target = target;
        server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setNeedClientAuth(true);
        acceptor = Thread.ofPlatform().daemon().name("desk4-tls-proxy").start(this::serve);
    }

    int port() {
        return server.getLocalPort();
    }

    /** The subjects of the client certificates of the connections passed on. */
    List<String> clients() {
        return clients;
    }

    private void serve() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                open.add(s);
                Thread.ofPlatform().daemon().name("desk4-tls-proxy-conn").start(() -> pipe(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pipe(SSLSocket s) {
        SocketChannel ch = null;
        try {
            s.startHandshake();
            try {
                clients.add(s.getSession().getPeerPrincipal().getName());
            } catch (SSLPeerUnverifiedException e) {
                return; // needClientAuth: not reached
            }
            ch = SocketChannel.open(StandardProtocolFamily.UNIX);
            ch.connect(UnixDomainSocketAddress.of(target));
            open.add(ch);
            SocketChannel daemon = ch;
            InputStream fromClient = s.getInputStream();
            Thread up = Thread.ofPlatform().daemon().name("desk4-tls-proxy-up").start(() -> {
                try {
                    copy(fromClient, Channels.newOutputStream(daemon));
                    daemon.shutdownOutput();
                } catch (IOException e) {
                    // the other direction ends too
                }
            });
            copy(Channels.newInputStream(ch), s.getOutputStream());
            up.join(1000);
        } catch (IOException | InterruptedException e) {
            // a client that left or failed its handshake
        } finally {
            quietly(s);
            quietly(ch);
        }
    }

    private static void copy(InputStream in, OutputStream out) throws IOException {
        byte[] buf = new byte[16384];
        for (int n; (n = in.read(buf)) >= 0; ) {
            out.write(buf, 0, n);
            out.flush();
        }
    }

    private void quietly(Closeable c) {
        if (c == null) {
            return;
        }
        open.remove(c);
        try {
            c.close();
        } catch (IOException e) {
            // closing anyway
        }
    }

    @Override
    public void close() throws InterruptedException {
        quietly(server);
        open.forEach(this::quietly);
        acceptor.join(5000);
    }
}
