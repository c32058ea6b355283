package dev.berth.desktop.engine;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

/** The last lines of the engine's log, read from its end so a large log costs nothing. */
public final class LogTail {
    private static final int WINDOW = 16 * 1024;

    private LogTail() {
    }

    public static List<String> lastLines(Path log, int lines) {
        if (log == null || !Files.isRegularFile(log)) {
            return List.of();
        }
        try (RandomAccessFile f = new RandomAccessFile(log.toFile(), "r")) {
            long len = f.length();
            long from = Math.max(0, len - WINDOW);
            byte[] buf = new byte[(int) (len - from)];
            f.seek(from);
            f.readFully(buf);
            List<String> all = Arrays.stream(new String(buf, StandardCharsets.UTF_8).split("\n"))
                    .map(String::stripTrailing).filter(s -> !s.isEmpty()).toList();
            if (from > 0 && !all.isEmpty()) {
                all = all.subList(1, all.size()); // the first one is cut
            }
            return all.subList(Math.max(0, all.size() - lines), all.size());
        } catch (IOException e) {
            return List.of("(cannot read " + log + ": " + e.getMessage() + ")");
        }
    }
}
