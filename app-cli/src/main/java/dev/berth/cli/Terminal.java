package dev.berth.cli;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Is a standard stream a terminal, and how wide is it. Asked lazily: most commands never need to know. */
public final class Terminal {
    /** docker's width when the terminal cannot tell: wide enough for progress bars. */
    static final int DEFAULT_WIDTH = 200;
    private static final long TIOCGWINSZ = 0x5413L;

    private Terminal() {
    }

    /** True if file descriptor {@code fd} (0, 1, 2) is a terminal. */
    public static boolean isTerminal(int fd) {
        Path link = Path.of("/proc/self/fd/" + fd);
        if (Files.isSymbolicLink(link)) {
            try {
                String target = Files.readSymbolicLink(link).toString();
                return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
            } catch (IOException e) {
                return false;
            }
        }
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    /** The terminal's columns: {@code COLUMNS}, else the tty's window size, else {@value #DEFAULT_WIDTH}. */
    public static int width(Map<String, String> env) {
        String columns = env.get("COLUMNS");
        if (columns != null) {
            try {
                return Integer.parseInt(columns.strip());
            } catch (NumberFormatException ignored) {
                // fall through to asking the terminal
            }
        }
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle ioctl = linker.downcallHandle(linker.defaultLookup().find("ioctl").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
                    Linker.Option.firstVariadicArg(2));
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment winsize = arena.allocate(8);
                int rc = (int) ioctl.invokeExact(1, TIOCGWINSZ, winsize);
                int cols = winsize.get(ValueLayout.JAVA_SHORT, 2) & 0xffff;
                if (rc == 0 && cols > 0) {
                    return cols;
                }
            }
        } catch (Throwable e) {
            // No native access or no ioctl: the default is what docker uses too.
        }
        return DEFAULT_WIDTH;
    }
}
