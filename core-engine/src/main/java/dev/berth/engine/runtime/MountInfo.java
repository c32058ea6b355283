package dev.berth.engine.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Mount points of this process's mount namespace, from /proc/self/mountinfo. */
public final class MountInfo {
    private MountInfo() {
    }

    public static List<Path> mountPoints() {
        try {
            List<Path> out = new ArrayList<>();
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                String[] f = line.split(" ");
                if (f.length > 4) {
                    out.add(Path.of(unescape(f[4])));
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static boolean isMountPoint(Path path) {
        Path abs = path.toAbsolutePath().normalize();
        return mountPoints().contains(abs);
    }

    /** Mount points at or below {@code dir}, deepest last as the kernel lists them. */
    public static List<Path> under(Path dir) {
        Path abs = dir.toAbsolutePath().normalize();
        return mountPoints().stream().filter(p -> p.startsWith(abs)).toList();
    }

    /** The kernel escapes space, tab, newline and backslash in mountinfo as octal {@code \ooo}. */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 4 <= s.length()) {
                try {
                    b.append((char) Integer.parseInt(s.substring(i + 1, i + 4), 8));
                    i += 3;
                    continue;
                } catch (NumberFormatException e) {
                    // not an escape: keep the backslash
                }
            }
            b.append(c);
        }
        return b.toString();
    }
}
