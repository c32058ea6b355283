package dev.berth.cli;

import com.sun.jna.Library;
import com.sun.jna.Memory;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;
import com.sun.jna.Pointer;

/**
 * A terminal in raw mode for {@code run -it}, {@code exec -it} and {@code attach}: keys go to the
 * container as typed (ctrl-c included, the container's TTY handles it), and the mode is restored on
 * close. Uses libc's termios through JNA, loaded only when a TTY is asked for so that other commands
 * keep their start-up time.
 */
public final class RawTerminal implements AutoCloseable {
    /** termios on Linux (60 bytes on x86_64 and aarch64); rounded up. */
    private static final int TERMIOS_SIZE = 64;
    private static final int TCSANOW = 0;
    private static final long TIOCGWINSZ = 0x5413;

    interface LibC extends Library {
        int tcgetattr(int fd, Pointer termios);

        int tcsetattr(int fd, int actions, Pointer termios);

        void cfmakeraw(Pointer termios);

        int ioctl(int fd, NativeLong request, Pointer arg);
    }

    private static volatile LibC libc;

    private final int fd;
    private final Memory saved;

    private RawTerminal(int fd, Memory saved) {
        this.fd = fd;
        this.saved = saved;
    }

    private static LibC libc() {
        if (libc == null) {
            libc = Native.load("c", LibC.class);
        }
        return libc;
    }

    /** Puts {@code fd} in raw mode; null if it is not a terminal or the mode cannot be set. */
    public static RawTerminal enter(int fd) {
        try {
            Memory saved = new Memory(TERMIOS_SIZE);
            if (libc().tcgetattr(fd, saved) != 0) {
                return null;
            }
            Memory raw = new Memory(TERMIOS_SIZE);
            raw.write(0, saved.getByteArray(0, TERMIOS_SIZE), 0, TERMIOS_SIZE);
            libc().cfmakeraw(raw);
            // cfmakeraw also clears OPOST; docker's raw mode keeps output processing off as well.
            if (libc().tcsetattr(fd, TCSANOW, raw) != 0) {
                return null;
            }
            return new RawTerminal(fd, saved);
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /** {@code [rows, columns]} of the terminal on {@code fd}, or null when unknown. */
    public static int[] size(int fd) {
        try {
            Memory ws = new Memory(8);
            ws.clear();
            if (libc().ioctl(fd, new NativeLong(TIOCGWINSZ), ws) != 0) {
                return null;
            }
            int rows = ws.getShort(0) & 0xffff;
            int cols = ws.getShort(2) & 0xffff;
            return rows == 0 || cols == 0 ? null : new int[] {rows, cols};
        } catch (UnsatisfiedLinkError | RuntimeException e) {
            return null;
        }
    }

    /**
     * Calls {@code onResize} when the terminal's size changes (SIGWINCH). The handler is the JDK's
     * {@code sun.misc.Signal}: JNA cannot install a signal handler safely in a JVM.
     */
    @SuppressWarnings("removal")
    public static void onResize(Runnable onResize) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("WINCH"), s -> onResize.run());
        } catch (IllegalArgumentException e) {
            // no SIGWINCH here: the size stays what it was at start
        }
    }

    @Override
    public void close() {
        try {
            libc().tcsetattr(fd, TCSANOW, saved);
        } catch (UnsatisfiedLinkError | RuntimeException ignored) {
            // nothing more can be done for the terminal
        }
    }
}
