package dev.berth.engine.client;

import javax.net.SocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Makes {@link Socket}s that talk to one Unix domain socket, so that an HTTP client written for TCP
 * (OkHttp) can reach the engine's socket. The host and port OkHttp asks for are ignored.
 *
 * <p>The JDK has no {@code Socket} for Unix domain sockets, only {@link SocketChannel}. The obvious
 * adapter has two traps. Streams from {@code Channels.newInputStream(channel)} took the channel's
 * blocking lock for every read up to JDK 17 (JDK 25 no longer does), so a thread blocked reading a
 * response stopped another thread from writing a request body: a deadlock once the server waits for
 * the body before it answers. And a blocking channel has no read timeout, while OkHttp probes pooled
 * connections with a 1 ms {@link Socket#setSoTimeout} read and would hang on such a socket. This socket
 * keeps the channel non-blocking and waits on one selector per direction, so reads and writes never
 * share a lock and reads can time out.
 */
public final class UnixSocketFactory extends SocketFactory {
    private final Path path;

    public UnixSocketFactory(Path path) {
        this.path = path;
    }

    public Path path() {
        return path;
    }

    @Override
    public Socket createSocket() {
        return new UnixSocket(path);
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        return connected();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        return connected();
    }

    private Socket connected() throws IOException {
        Socket socket = new UnixSocket(path);
        socket.connect(null);
        return socket;
    }

    /** Why a connection to the socket failed; the client words its error from this. */
    public enum Reason { MISSING, REFUSED, PERMISSION_DENIED, OTHER }

    /** A failed connect, with the reason the client needs to explain it. */
    public static final class ConnectFailure extends ConnectException {
        private final Reason reason;
        private final Path path;

        ConnectFailure(Reason reason, Path path, String message) {
            super(message);
            this.reason = reason;
            this.path = path;
        }

        public Reason reason() {
            return reason;
        }

        public Path path() {
            return path;
        }
    }

    static ConnectFailure classify(Path path, IOException e) {
        String msg = String.valueOf(e.getMessage());
        Reason reason;
        if (msg.contains("Permission denied") || e instanceof java.nio.file.AccessDeniedException) {
            reason = Reason.PERMISSION_DENIED;
        } else if (msg.contains("No such file") || !Files.exists(path)) {
            reason = Reason.MISSING;
        } else if (msg.contains("Connection refused")) {
            reason = Reason.REFUSED;
        } else {
            reason = Reason.OTHER;
        }
        ConnectFailure failure = new ConnectFailure(reason, path, "connect to " + path + ": " + msg);
        failure.initCause(e);
        return failure;
    }

    /** A connected Unix domain socket dressed as a {@link Socket}. */
    static final class UnixSocket extends Socket {
        private final Path path;
        private final Object readLock = new Object();
        private final Object writeLock = new Object();
        private final Object stateLock = new Object();
        private volatile SocketChannel channel;
        private Selector readSelector;
        private Selector writeSelector;
        private volatile int soTimeoutMillis;
        private volatile boolean closed;
        private volatile boolean inputShutdown;
        private volatile boolean outputShutdown;
        private final InputStream in = new In();
        private final OutputStream out = new Out();

        UnixSocket(Path path) {
            this.path = path;
        }

        @Override
        public void connect(SocketAddress ignored) throws IOException {
            connect(ignored, 0);
        }

        @Override
        public void connect(SocketAddress ignored, int timeoutMillis) throws IOException {
            synchronized (stateLock) {
                if (closed) {
                    throw new SocketException("Socket is closed");
                }
                if (channel != null) {
                    throw new SocketException("already connected");
                }
                SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX);
                Selector r = null;
                Selector w = null;
                try {
                    try {
                        ch.connect(UnixDomainSocketAddress.of(path));
                    } catch (IOException e) {
                        throw classify(path, e);
                    }
                    ch.configureBlocking(false);
                    r = Selector.open();
                    w = Selector.open();
                    ch.register(r, SelectionKey.OP_READ);
                    ch.register(w, SelectionKey.OP_WRITE);
                } catch (IOException | RuntimeException e) {
                    closeQuietly(r);
                    closeQuietly(w);
                    ch.close();
                    throw e;
                }
                readSelector = r;
                writeSelector = w;
                channel = ch;
            }
        }

        private SocketChannel open() throws SocketException {
            SocketChannel ch = channel;
            if (closed) {
                throw new SocketException("Socket closed");
            }
            if (ch == null) {
                throw new SocketException("Socket is not connected");
            }
            return ch;
        }

        int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            SocketChannel ch = open();
            if (inputShutdown) {
                return -1;
            }
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            synchronized (readLock) {
                int timeout = soTimeoutMillis;
                long deadline = timeout > 0 ? System.nanoTime() + timeout * 1_000_000L : 0;
                try {
                    while (true) {
                        int n = ch.read(buffer);
                        if (n != 0) {
                            return n;
                        }
                        long waitMillis = 0;
                        if (timeout > 0) {
                            long remaining = deadline - System.nanoTime();
                            if (remaining <= 0) {
                                throw new SocketTimeoutException("Read timed out");
                            }
                            waitMillis = Math.max(1, remaining / 1_000_000L);
                        }
                        readSelector.select(waitMillis);
                        readSelector.selectedKeys().clear();
                        if (closed) {
                            throw new SocketException("Socket closed");
                        }
                    }
                } catch (ClosedChannelException | ClosedSelectorException e) {
                    throw new SocketException("Socket closed");
                }
            }
        }

        void write(byte[] b, int off, int len) throws IOException {
            SocketChannel ch = open();
            if (outputShutdown) {
                throw new SocketException("Socket output is shutdown");
            }
            ByteBuffer buffer = ByteBuffer.wrap(b, off, len);
            synchronized (writeLock) {
                try {
                    while (buffer.hasRemaining()) {
                        if (ch.write(buffer) == 0) {
                            writeSelector.select();
                            writeSelector.selectedKeys().clear();
                            if (closed) {
                                throw new SocketException("Socket closed");
                            }
                        }
                    }
                } catch (ClosedChannelException | ClosedSelectorException e) {
                    throw new SocketException("Socket closed");
                }
            }
        }

        @Override
        public InputStream getInputStream() throws IOException {
            open();
            return in;
        }

        @Override
        public OutputStream getOutputStream() throws IOException {
            open();
            return out;
        }

        @Override
        public void setSoTimeout(int timeout) throws SocketException {
            if (timeout < 0) {
                throw new IllegalArgumentException("timeout < 0");
            }
            soTimeoutMillis = timeout;
        }

        @Override
        public int getSoTimeout() {
            return soTimeoutMillis;
        }

        @Override
        public void shutdownInput() throws IOException {
            open().shutdownInput();
            inputShutdown = true;
        }

        @Override
        public void shutdownOutput() throws IOException {
            open().shutdownOutput();
            outputShutdown = true;
        }

        @Override
        public boolean isInputShutdown() {
            return inputShutdown;
        }

        @Override
        public boolean isOutputShutdown() {
            return outputShutdown;
        }

        @Override
        public boolean isConnected() {
            return channel != null;
        }

        @Override
        public boolean isBound() {
            return channel != null;
        }

        @Override
        public boolean isClosed() {
            return closed;
        }

        /** Closes the channel and wakes any thread blocked reading or writing, which then fails. */
        @Override
        public void close() throws IOException {
            Selector r;
            Selector w;
            SocketChannel ch;
            synchronized (stateLock) {
                if (closed) {
                    return;
                }
                closed = true;
                r = readSelector;
                w = writeSelector;
                ch = channel;
            }
            // Closing a selector wakes a thread blocked in select() on it; the channel's keys are
            // cancelled with the selectors, so the channel's own close can then release the fd.
            closeQuietly(r);
            closeQuietly(w);
            if (ch != null) {
                ch.close();
            }
        }

        @Override
        public SocketAddress getRemoteSocketAddress() {
            return UnixDomainSocketAddress.of(path);
        }

        @Override
        public SocketAddress getLocalSocketAddress() {
            return null;
        }

        @Override
        public InetAddress getInetAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public InetAddress getLocalAddress() {
            return InetAddress.getLoopbackAddress();
        }

        @Override
        public int getPort() {
            return 0;
        }

        @Override
        public int getLocalPort() {
            return -1;
        }

        @Override
        public void setTcpNoDelay(boolean on) {
            // Not meaningful for Unix domain sockets; accepted so TCP-minded callers keep working.
        }

        @Override
        public boolean getTcpNoDelay() {
            return true;
        }

        @Override
        public void setKeepAlive(boolean on) {
            // As above: no TCP keep-alive on a Unix socket.
        }

        @Override
        public void setSoLinger(boolean on, int linger) {
            // As above.
        }

        @Override
        public String toString() {
            return "UnixSocket[" + path + (closed ? ", closed" : "") + "]";
        }

        private static void closeQuietly(Selector s) {
            if (s != null) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // Nothing useful to do: the selector only held an epoll fd.
                }
            }
        }

        private final class In extends InputStream {
            private final byte[] one = new byte[1];

            @Override
            public int read() throws IOException {
                int n = read(one, 0, 1);
                return n <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                return UnixSocket.this.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                UnixSocket.this.close();
            }
        }

        private final class Out extends OutputStream {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.util.Objects.checkFromIndexSize(off, len, b.length);
                UnixSocket.this.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                UnixSocket.this.close();
            }
        }
    }
}
