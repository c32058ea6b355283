package dev.berth.images.layer;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The few libc calls the JDK does not offer: ownership, device nodes, extended attributes and
 * timestamps, each without following a symlink in the last path component. Paths are handed to libc as
 * bytes in the same charset the JDK uses for file names ({@code sun.jnu.encoding}), so a name that
 * {@link java.nio.file.Files} created is the name these calls see, whatever JNA's own default is.
 *
 * <p>Failures become {@link PosixException}, which carries the errno so callers can tolerate
 * specific ones (an unsupported xattr namespace, say) and report the rest.
 */
public final class Posix {
    public static final int S_IFMT = 0170000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFLNK = 0120000;
    public static final int S_ISUID = 04000;
    public static final int S_ISGID = 02000;
    public static final int S_ISVTX = 01000;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EACCES = 13;
    public static final int EEXIST = 17;
    public static final int ERANGE = 34;
    public static final int ENODATA = 61;
    public static final int EOPNOTSUPP = 95;

    private static final int AT_FDCWD = -100;
    private static final int AT_SYMLINK_NOFOLLOW = 0x100;
    private static final Charset PATH_CHARSET = pathCharset();

    /** Direct-mapped libc: no per-call reflection, which matters at tens of thousands of calls per layer. */
    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance("c"));
        }

        static native int lchown(byte[] path, int uid, int gid) throws LastErrorException;

        static native int chmod(byte[] path, int mode) throws LastErrorException;

        static native int mknod(byte[] path, int mode, long dev) throws LastErrorException;

        static native int symlink(byte[] target, byte[] linkPath) throws LastErrorException;

        static native int lsetxattr(byte[] path, byte[] name, byte[] value, long size, int flags) throws LastErrorException;

        static native long lgetxattr(byte[] path, byte[] name, byte[] value, long size) throws LastErrorException;

        static native long llistxattr(byte[] path, byte[] list, long size) throws LastErrorException;

        static native int utimensat(int dirfd, byte[] path, long[] times, int flags) throws LastErrorException;

        static native int geteuid();

        static native int getegid();

        static native int umask(int mask);

        static native String strerror(int errnum);
    }

    private static final int EUID = C.geteuid();
    private static final int EGID = C.getegid();

    private Posix() {
    }

    /** An errno from a libc call, with the call and path in the message. */
    public static final class PosixException extends IOException {
        private final int errno;

        PosixException(String call, Path path, int errno) {
            super(call + " " + path + ": " + describe(errno));
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }

        private static String describe(int errno) {
            String text;
            try {
                text = C.strerror(errno);
            } catch (RuntimeException | LinkageError e) {
                text = null;
            }
            return (text == null ? "error" : text) + " (errno " + errno + ")";
        }
    }

    public static int geteuid() {
        return EUID;
    }

    public static int getegid() {
        return EGID;
    }

    public static boolean isRoot() {
        return EUID == 0;
    }

    /**
     * The process umask. umask(2) can only be read by setting it, so this sets it back at once; call it
     * at start-up, not while other threads create files.
     */
    public static int currentUmask() {
        int old = C.umask(022);
        C.umask(old);
        return old;
    }

    public static void lchown(Path path, int uid, int gid) throws PosixException {
        try {
            C.lchown(bytes(path), uid, gid);
        } catch (LastErrorException e) {
            throw new PosixException("lchown", path, e.getErrorCode());
        }
    }

    /** chmod(2) follows symlinks: call it only on a path whose last component is known not to be one. */
    public static void chmod(Path path, int mode) throws PosixException {
        try {
            C.chmod(bytes(path), mode);
        } catch (LastErrorException e) {
            throw new PosixException("chmod", path, e.getErrorCode());
        }
    }

    public static void mknod(Path path, int mode, long dev) throws PosixException {
        try {
            C.mknod(bytes(path), mode, dev);
        } catch (LastErrorException e) {
            throw new PosixException("mknod", path, e.getErrorCode());
        }
    }

    /** Linux's makedev: the 12+20 bit split with the high bits stored above, as glibc encodes it. */
    public static long makedev(long major, long minor) {
        return ((major & 0xfffL) << 8) | ((major & ~0xfffL) << 32) | (minor & 0xffL) | ((minor & ~0xffL) << 12);
    }

    public static long major(long dev) {
        return ((dev >>> 8) & 0xfffL) | ((dev >>> 32) & ~0xfffL);
    }

    public static long minor(long dev) {
        return (dev & 0xffL) | ((dev >>> 12) & ~0xffL);
    }

    /**
     * Creates a symlink with exactly {@code target} as its content; unlike Files.createSymbolicLink it
     * does not normalise the target (a trailing slash or "a//b" survives, as tar recorded it).
     */
    public static void symlink(byte[] target, Path linkPath) throws PosixException {
        try {
            C.symlink(nulTerminated(target), bytes(linkPath));
        } catch (LastErrorException e) {
            throw new PosixException("symlink", linkPath, e.getErrorCode());
        }
    }

    public static void lsetxattr(Path path, String name, byte[] value) throws PosixException {
        try {
            C.lsetxattr(bytes(path), nameBytes(name), value, value.length, 0);
        } catch (LastErrorException e) {
            throw new PosixException("lsetxattr " + name, path, e.getErrorCode());
        }
    }

    /** The value, or {@code null} when the attribute is absent (ENODATA). */
    public static byte[] lgetxattr(Path path, String name) throws PosixException {
        byte[] p = bytes(path);
        byte[] n = nameBytes(name);
        for (int attempt = 0; ; attempt++) {
            try {
                long size = C.lgetxattr(p, n, null, 0);
                byte[] value = new byte[(int) size];
                long got = C.lgetxattr(p, n, value, value.length);
                return got == size ? value : Arrays.copyOf(value, (int) got);
            } catch (LastErrorException e) {
                if (e.getErrorCode() == ENODATA) {
                    return null;
                }
                // The value grew between the two calls: ask again.
                if (e.getErrorCode() == ERANGE && attempt < 3) {
                    continue;
                }
                throw new PosixException("lgetxattr " + name, path, e.getErrorCode());
            }
        }
    }

    /** Attribute names in the order the filesystem lists them; empty when xattrs are unsupported. */
    public static List<String> llistxattr(Path path) throws PosixException {
        byte[] p = bytes(path);
        for (int attempt = 0; ; attempt++) {
            try {
                long size = C.llistxattr(p, null, 0);
                if (size == 0) {
                    return List.of();
                }
                byte[] buf = new byte[(int) size];
                int got = (int) C.llistxattr(p, buf, buf.length);
                List<String> names = new ArrayList<>();
                int start = 0;
                for (int i = 0; i < got; i++) {
                    if (buf[i] == 0) {
                        if (i > start) {
                            names.add(new String(buf, start, i - start, StandardCharsets.UTF_8));
                        }
                        start = i + 1;
                    }
                }
                return names;
            } catch (LastErrorException e) {
                if (e.getErrorCode() == EOPNOTSUPP) {
                    return List.of();
                }
                if (e.getErrorCode() == ERANGE && attempt < 3) {
                    continue;
                }
                throw new PosixException("llistxattr", path, e.getErrorCode());
            }
        }
    }

    /** Sets access and modification times without following a final symlink. */
    public static void lutimes(Path path, long atimeSec, int atimeNanos, long mtimeSec, int mtimeNanos) throws PosixException {
        try {
            C.utimensat(AT_FDCWD, bytes(path), new long[] {atimeSec, atimeNanos, mtimeSec, mtimeNanos}, AT_SYMLINK_NOFOLLOW);
        } catch (LastErrorException e) {
            throw new PosixException("utimensat", path, e.getErrorCode());
        }
    }

    static byte[] bytes(Path path) {
        return nulTerminated(path.toString().getBytes(PATH_CHARSET));
    }

    private static byte[] nameBytes(String name) {
        return nulTerminated(name.getBytes(StandardCharsets.UTF_8));
    }

    private static byte[] nulTerminated(byte[] b) {
        return Arrays.copyOf(b, b.length + 1);
    }

    private static Charset pathCharset() {
        String jnu = System.getProperty("sun.jnu.encoding");
        try {
            return jnu == null ? Charset.defaultCharset() : Charset.forName(jnu);
        } catch (RuntimeException e) {
            return StandardCharsets.UTF_8;
        }
    }

    /** True when the JDK encodes file names as UTF-8, so any UTF-8 tar name can be created. */
    static boolean pathsAreUtf8() {
        return PATH_CHARSET.equals(StandardCharsets.UTF_8);
    }
}
