package dev.berth.engine.build;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The mount points runc creates in a RUN container's upper dir when the image lacks them (/dev, /proc,
 * /sys, /etc/hosts…). Docker creates them in the container's init layer, below the layer it commits, so
 * they never reach a built image; removing them from the upper dir before the diff gives the same layer.
 * Only empty leftovers the image does not have are removed: anything the RUN wrote is kept.
 */
final class InitLayerPaths {
    /** moby's daemon/initlayer plus the files the container's bind mounts need. */
    static final List<String> PATHS = List.of("dev/pts", "dev/shm", "dev/console", "dev/mqueue", "dev", "proc", "sys",
            "etc/hosts", "etc/hostname", "etc/resolv.conf", "etc/mtab", ".dockerenv");

    private InitLayerPaths() {
    }

    static void strip(Path upper, List<Path> lowers) throws IOException {
        for (String p : PATHS) {
            if (inAnyLower(p, lowers) || !parentIsRealDir(upper, p)) {
                continue;
            }
            Path f = upper.resolve(p);
            BasicFileAttributes a;
            try {
                a = Files.readAttributes(f, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            } catch (IOException absent) {
                continue;
            }
            if (a.isRegularFile() && a.size() == 0) {
                Files.delete(f);
            } else if (a.isDirectory() && isEmpty(f)) {
                Files.delete(f);
            }
        }
    }

    private static boolean inAnyLower(String p, List<Path> lowers) {
        for (Path l : lowers) {
            if (Files.exists(l.resolve(p), LinkOption.NOFOLLOW_LINKS)) {
                return true;
            }
        }
        return false;
    }

    /** Never act through a symlink: each parent component must be a real directory inside the upper dir. */
    private static boolean parentIsRealDir(Path upper, String p) {
        Path dir = upper;
        String[] parts = p.split("/");
        for (int i = 0; i < parts.length - 1; i++) {
            dir = dir.resolve(parts[i]);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }
}
