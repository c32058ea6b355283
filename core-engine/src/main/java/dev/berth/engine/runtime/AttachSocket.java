package dev.berth.engine.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.io.Closeable;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

/**
 * A client connection to conmon's attach socket ({@code <bundle>/attach}), a SOCK_SEQPACKET unix
 * socket, which neither the JDK nor Netty can open (the JDK's unix channels are SOCK_STREAM only), so
 * this goes through libc by JNA. The protocol is podman's (libpod/oci_conmon_attach_common.go): every
 * packet conmon sends starts with the stream it came from ({@link #STDOUT} or {@link #STDERR}; with a
 * TTY everything is stdout), what we send is the container's stdin as is, and shutting our write side
 * tells conmon that stdin ended (it then closes the container's stdin unless run with
 * {@code --leave-stdin-open}).
 *
 * <p>Paths to bundles are longer than a sockaddr_un holds, so, as podman does, the directory is opened
 * with O_PATH and the socket reached as {@code /proc/self/fd/N/attach}.
 *
 * <p>Every call blocks in native code, which pins a virtual thread's carrier: callers run the reads
 * and writes on platform threads.
 */
public final class AttachSocket implements Closeable {
    public static final int STDOUT = 2;
    public static final int STDERR = 3;
    /** conmon sends at most STDIO_BUF_SIZE (8192) bytes plus the stream byte per packet. */
    public static final int PACKET_SIZE = 8192 + 1;
    /** conmon reads CONN_SOCK_BUF_SIZE (32768) per packet; stay well below so nothing is cut. */
    public static final int MAX_WRITE = 8192;

    private static final int AF_UNIX = 1;
    private static final int SOCK_SEQPACKET = 5;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int O_WRONLY = 1;
    private static final int O_NONBLOCK = 0x800;
    private static final int O_CLOEXEC = 0x80000;
    private static final int O_PATH = 0x200000;
    private static final int SHUT_WR = 1;
    private static final int SHUT_RDWR = 2;
    private static final int MSG_NOSIGNAL = 0x4000;
    private static final int ENOENT = 2;
    private static final int EINTR = 4;
    private static final int ENXIO = 6;
    private static final int ECONNREFUSED = 111;

    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance("c"));
        }

        static native int open(byte[] path, int flags) throws LastErrorException;

        static native int socket(int domain, int type, int protocol) throws LastErrorException;

        static native int connect(int fd, byte[] addr, int len) throws LastErrorException;

        static native long recv(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        static native long send(int fd, byte[] buf, long len, int flags) throws LastErrorException;

        static native long write(int fd, byte[] buf, long len) throws LastErrorException;

        static native int shutdown(int fd, int how) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;

        static native int mkfifo(byte[] path, int mode) throws LastErrorException;

        static native int ioctl(int fd, long request, int[] value) throws LastErrorException;
    }

    private static final long FIONREAD = 0x541B;

    private final int fd;
    private boolean closed;

    private AttachSocket(int fd) {
        this.fd = fd;
    }

    /**
     * Connects to {@code dir/attach}, retrying while it does not exist or does not listen yet, for at
     * most {@code wait} (conmon binds the socket before it listens).
     */
    public static AttachSocket connect(Path dir, Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (true) {
            try {
                return connectOnce(dir);
            } catch (LastErrorException e) {
                int errno = e.getErrorCode();
                if ((errno != ENOENT && errno != ECONNREFUSED) || System.nanoTime() - deadline > 0) {
                    throw new IOException("cannot connect to conmon's attach socket in " + dir + " (errno " + errno + ")");
                }
            }
            try {
                Thread.sleep(5);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while connecting to " + dir + "/attach", e);
            }
        }
    }

    private static AttachSocket connectOnce(Path dir) {
        int dirFd = C.open(cString(dir.toString()), O_PATH | O_CLOEXEC);
        try {
            int fd = C.socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
            try {
                byte[] addr = new byte[110];
                addr[0] = AF_UNIX; // sa_family_t, little endian
                byte[] path = ("/proc/self/fd/" + dirFd + "/attach").getBytes(StandardCharsets.US_ASCII);
                System.arraycopy(path, 0, addr, 2, path.length);
                C.connect(fd, addr, addr.length);
                return new AttachSocket(fd);
            } catch (LastErrorException e) {
                C.close(fd);
                throw e;
            }
        } finally {
            C.close(dirFd);
        }
    }

    /**
     * One packet into {@code buf} (at least {@link #PACKET_SIZE} long): byte 0 is the stream, the rest its
     * data. Returns the packet's length, or -1 once conmon has closed (the process exited and its
     * output is drained) or this socket was shut down.
     */
    public int read(byte[] buf) throws IOException {
        while (true) {
            try {
                long n = C.recv(fd, buf, buf.length, 0);
                return n == 0 ? -1 : (int) n;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new IOException("reading conmon's attach socket failed (errno " + e.getErrorCode() + ")");
                }
            }
        }
    }

    /** The container's stdin. */
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, MAX_WRITE);
            byte[] chunk = off == 0 && n == b.length ? b : Arrays.copyOfRange(b, off, off + n);
            try {
                long w = C.send(fd, chunk, n, MSG_NOSIGNAL);
                off += (int) w;
                len -= (int) w;
            } catch (LastErrorException e) {
                if (e.getErrorCode() != EINTR) {
                    throw new IOException("writing to conmon's attach socket failed (errno " + e.getErrorCode() + ")");
                }
            }
        }
    }

    /** Ends the container's stdin (conmon closes it unless told to leave it open); output still flows. */
    public void shutdownOutput() {
        try {
            C.shutdown(fd, SHUT_WR);
        } catch (LastErrorException ignored) {
            // Already disconnected: there is no stdin left to end.
        }
    }

    /** Wakes a blocked {@link #read} (it returns -1) without freeing the descriptor under it. */
    public synchronized void shutdown() {
        if (!closed) {
            try {
                C.shutdown(fd, SHUT_RDWR);
            } catch (LastErrorException ignored) {
                // Not connected any more: nothing to wake.
            }
        }
    }

    /** Only once no thread is inside {@link #read} or {@link #write}: the number could be reused at once. */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            try {
                C.shutdown(fd, SHUT_RDWR);
            } catch (LastErrorException ignored) {
                // Already disconnected.
            }
            try {
                C.close(fd);
            } catch (LastErrorException ignored) {
                // Nothing more can be done about a failing close.
            }
        }
    }

    /**
     * Writes one line to conmon's control FIFO ({@code <bundle>/ctl}), e.g. {@code "1 h w\n"} to resize
     * the terminal, as podman does. Opened without blocking: with no conmon reading (the container
     * exited), the open fails instead of hanging. Returns false when nobody was reading.
     */
    public static boolean writeControl(Path ctl, String line) throws IOException {
        int f;
        try {
            f = C.open(cString(ctl.toString()), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENXIO || e.getErrorCode() == ENOENT) {
                return false;
            }
            throw new IOException("cannot open " + ctl + " (errno " + e.getErrorCode() + ")");
        }
        try {
            byte[] b = line.getBytes(StandardCharsets.US_ASCII);
            C.write(f, b, b.length);
            return true;
        } catch (LastErrorException e) {
            throw new IOException("cannot write to " + ctl + " (errno " + e.getErrorCode() + ")");
        } finally {
            C.close(f);
        }
    }

    /**
     * How many bytes wait unread in a FIFO that conmon holds open, or -1 when nobody reads it (conmon is
     * gone) or it does not exist. FIONREAD on a pipe counts its buffer whichever end asks.
     */
    public static int unread(Path fifo) throws IOException {
        int f;
        try {
            f = C.open(cString(fifo.toString()), O_WRONLY | O_NONBLOCK | O_CLOEXEC);
        } catch (LastErrorException e) {
            if (e.getErrorCode() == ENXIO || e.getErrorCode() == ENOENT) {
                return -1;
            }
            throw new IOException("cannot open " + fifo + " (errno " + e.getErrorCode() + ")");
        }
        try {
            int[] n = new int[1];
            C.ioctl(f, FIONREAD, n);
            return n[0];
        } catch (LastErrorException e) {
            throw new IOException("cannot read the fill of " + fifo + " (errno " + e.getErrorCode() + ")");
        } finally {
            C.close(f);
        }
    }

    /** A FIFO readable and writable by root only, for conmon's start pipe. */
    public static void makeFifo(Path path) throws IOException {
        try {
            C.mkfifo(cString(path.toString()), 0600);
        } catch (LastErrorException e) {
            throw new IOException("mkfifo " + path + " failed (errno " + e.getErrorCode() + ")");
        }
    }

    private static byte[] cString(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }
}
