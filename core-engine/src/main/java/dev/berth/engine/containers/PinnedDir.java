package dev.berth.engine.containers;

import com.sun.jna.LastErrorException;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A directory held open (O_PATH), reached as {@code /proc/self/fd/N}: whatever a running container
 * renames or swaps for a symlink afterwards, paths under it still mean this very directory. Opening
 * inside a container's root uses openat2 with RESOLVE_IN_ROOT, so the kernel itself keeps symlinks
 * and ".." inside the root (the same answer as {@link ScopedPath}, without a check-then-use window);
 * descending uses O_NOFOLLOW, so a component swapped for a symlink fails instead of being followed.
 */
public final class PinnedDir implements AutoCloseable {
    private static final int O_DIRECTORY = 0200000;
    private static final int O_NOFOLLOW = 0400000;
    private static final int O_CLOEXEC = 02000000;
    private static final int O_PATH = 010000000;
    private static final long RESOLVE_NO_MAGICLINKS = 0x02;
    private static final long RESOLVE_IN_ROOT = 0x10;
    /** openat2 has the same number on every architecture (the generic syscall table). */
    private static final long SYS_OPENAT2 = 437;

    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance("c"));
        }

        static native int openat(int dirfd, byte[] path, int flags) throws LastErrorException;

        static native long syscall(long number, int dirfd, byte[] path, Memory how, long size) throws LastErrorException;

        static native int close(int fd) throws LastErrorException;
    }

    private final int fd;
    private boolean closed;

    private PinnedDir(int fd) {
        this.fd = fd;
    }

    /** Opens a trusted directory (the container's root on the host). */
    public static PinnedDir open(Path dir) throws IOException {
        try {
            return new PinnedDir(C.openat(-100, cstr(dir.toString()), O_PATH | O_DIRECTORY | O_CLOEXEC));
        } catch (LastErrorException e) {
            throw error("open", dir.toString(), e);
        }
    }

    /** The directory at {@code containerPath}, resolved by the kernel with this directory as its root. */
    public PinnedDir openInRoot(String containerPath) throws IOException {
        Memory how = new Memory(24);
        how.setLong(0, O_PATH | O_DIRECTORY | O_CLOEXEC);
        how.setLong(8, 0);
        how.setLong(16, RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS);
        try {
            return new PinnedDir((int) C.syscall(SYS_OPENAT2, fd, cstr(containerPath.isEmpty() ? "/" : containerPath), how, 24));
        } catch (LastErrorException e) {
            throw error("openat2", containerPath, e);
        }
    }

    /** A subdirectory; a symlink or a non-directory there fails (ELOOP, ENOTDIR) instead of being followed. */
    public PinnedDir openChild(String name) throws IOException {
        if (name.contains("/") || name.equals("..") || name.equals(".")) {
            throw new IllegalArgumentException("not a single name: " + name);
        }
        try {
            return new PinnedDir(C.openat(fd, cstr(name), O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        } catch (LastErrorException e) {
            throw error("openat", name, e);
        }
    }

    /** This directory as a path the kernel resolves to the held directory, not by its name. */
    public Path path() {
        return Path.of("/proc/self/fd/" + fd);
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            try {
                C.close(fd);
            } catch (LastErrorException ignored) {
                // nothing useful to do about a failed close of an O_PATH fd
            }
        }
    }

    private static byte[] cstr(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        byte[] out = new byte[b.length + 1];
        System.arraycopy(b, 0, out, 0, b.length);
        return out;
    }

    private static IOException error(String op, String what, LastErrorException e) {
        int errno = e.getErrorCode();
        if (errno == 2) {
            return new java.nio.file.NoSuchFileException(what);
        }
        if (errno == 20 || errno == 40) {
            return new java.nio.file.NotDirectoryException(what);
        }
        return new IOException(op + " " + what + ": errno " + errno);
    }
}
