package dev.berth.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A connected Unix stream socket through the CLI's own small JNI library
 * ({@code app-cli/src/main/c/berth_unix_socket.c}), for the lean list path.
 *
 * <p>Hand-written on purpose, and measured: the JDK's first AF_UNIX {@code SocketChannel} initialises
 * {@code sun.nio.ch.UnixDomainSockets}, whose static {@code SecureRandom} (for temporary socket names
 * a client never binds) starts the security-provider framework. Interpreted, that is 12-20 ms of a
 * ~85 ms {@code berth images}; this library loads and connects in under a millisecond. The FFM API was
 * tried too: its downcall handles alone took 26-67 ms to make, interpreted (bench/cli/RESULTS.md).
 *
 * <p>Only used when {@code bin/berth} names the library in {@value #LIBRARY_PROPERTY} and it loads;
 * otherwise {@link #available()} is false and callers keep the JDK's channel.
 */
final class NativeUnixSocket implements AutoCloseable {
    /** The library's path; bin/berth sets it when the build made the library (it needs gcc). */
    static final String LIBRARY_PROPERTY = "berth.cli.native";

    private static Boolean loaded;

    private int fd;

    private NativeUnixSocket(int fd) {
        this.fd = fd;
    }

    /** Whether the library was named and loads (tried once per process). */
    static synchronized boolean available() {
        if (loaded == null) {
            String library = System.getProperty(LIBRARY_PROPERTY);
            boolean ok = false;
            if (library != null && !library.isEmpty()) {
                try {
                    System.load(library);
                    ok = true;
                } catch (UnsatisfiedLinkError | SecurityException e) {
                    // a library built for another machine, or removed since: the JDK's channel works too
                }
            }
            loaded = ok;
        }
        return loaded;
    }

    /** Connects to the socket file; the error names the path and says why, as the JDK's would. */
    static NativeUnixSocket connect(Path socket) throws IOException {
        int fd = connect0(socket.toString().getBytes(StandardCharsets.UTF_8));
        if (fd < 0) {
            throw new IOException(socket + ": " + describe0(-fd));
        }
        return new NativeUnixSocket(fd);
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        int end = offset + length;
        while (offset < end) {
            int n = write0(open(), bytes, offset, end - offset);
            if (n < 0) {
                throw new IOException(describe0(-n));
            }
            offset += n;
        }
    }

    /** Up to {@code length} bytes into {@code bytes}; -1 at end of stream. */
    int read(byte[] bytes, int offset, int length) throws IOException {
        int n = read0(open(), bytes, offset, length);
        if (n < 0) {
            throw new IOException(describe0(-n));
        }
        return n == 0 && length > 0 ? -1 : n;
    }

    private int open() throws IOException {
        if (fd < 0) {
            throw new IOException("socket closed");
        }
        return fd;
    }

    @Override
    public void close() {
        if (fd >= 0) {
            close0(fd);
            fd = -1;
        }
    }

    private static native int connect0(byte[] path);

    private static native int write0(int fd, byte[] bytes, int offset, int length);

    private static native int read0(int fd, byte[] bytes, int offset, int length);

    private static native void close0(int fd);

    private static native String describe0(int errno);
}
