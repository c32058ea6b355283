package dev.berth.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Is a standard stream a terminal, and how wide is it. Asked lazily: most commands never need to know. */
public final class Terminal {
    /** docker's width when the terminal cannot tell: wide enough for progress bars. */
    static final int DEFAULT_WIDTH = 200;

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

    /** The terminal's columns: {@code COLUMNS}, else what {@code stty} says, else {@value #DEFAULT_WIDTH}. */
    public static int width(Map<String, String> env) {
        String columns = env.get("COLUMNS");
        if (columns != null) {
            try {
                return Integer.parseInt(columns.strip());
            } catch (NumberFormatException ignored) {
                // fall through to asking the terminal
            }
        }
        // Asked only while drawing progress on a terminal. stty rather than an ioctl through the
        // FFM API: that would need --enable-native-access, which costs every run its archived
        // module graph.
        try {
            Process p = new ProcessBuilder("stty", "size").redirectInput(new java.io.File("/dev/tty"))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
            if (p.waitFor() == 0) {
                String[] rowsCols = out.split("\\s+");
                if (rowsCols.length == 2) {
                    int cols = Integer.parseInt(rowsCols[1]);
                    if (cols > 0) {
                        return cols;
                    }
                }
            }
        } catch (IOException | NumberFormatException e) {
            // No tty or no stty: the default is what docker uses too.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return DEFAULT_WIDTH;
    }
}
