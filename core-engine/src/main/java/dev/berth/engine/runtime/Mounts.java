package dev.berth.engine.runtime;

import com.sun.jna.LastErrorException;
import com.sun.jna.Native;
import com.sun.jna.NativeLibrary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;

/** mount(2) and umount2(2), which the JDK does not offer. */
public final class Mounts {
    public static final int EINVAL = 22;
    public static final int ENOENT = 2;
    public static final int MNT_DETACH = 2;
    /** The kernel copies at most one page of mount data; overlay options longer than this fail. */
    public static final int MAX_MOUNT_DATA = 4095;

    private static final class C {
        static {
            Native.register(C.class, NativeLibrary.getInstance("c"));
        }

        static native int mount(byte[] source, byte[] target, byte[] fstype, long flags, byte[] data) throws LastErrorException;

        static native int umount2(byte[] target, int flags) throws LastErrorException;
    }

    private Mounts() {
    }

    /** A failed mount or umount, with its errno. */
    public static final class MountException extends IOException {
        private final int errno;

        MountException(String message, int errno) {
            super(message + " (errno " + errno + ")");
            this.errno = errno;
        }

        public int errno() {
            return errno;
        }
    }

    public static void mount(String source, Path target, String fsType, long flags, String data) throws MountException {
        try {
            C.mount(bytes(source), bytes(target.toString()), bytes(fsType), flags, data == null ? null : bytes(data));
        } catch (LastErrorException e) {
            throw new MountException("mount " + fsType + " on " + target, e.getErrorCode());
        }
    }

    public static void umount(Path target, int flags) throws MountException {
        try {
            C.umount2(bytes(target.toString()), flags);
        } catch (LastErrorException e) {
            throw new MountException("umount " + target, e.getErrorCode());
        }
    }

    private static byte[] bytes(String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        return Arrays.copyOf(b, b.length + 1);
    }
}
