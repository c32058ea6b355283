package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.images.layer.Posix;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;

/**
 * Every device node under the host's /dev, as containerd's HostDevices lists them for
 * {@code --privileged}: runc creates each in the container's /dev. Symlinks are not followed, and the
 * directories whose contents are per-container mounts are skipped.
 */
public final class HostDevices {
    private static final Set<String> SKIPPED_DIRS = Set.of("pts", "shm", "fd", "mqueue", ".lxc", ".lxd-mounts", ".udev");

    private HostDevices() {
    }

    public static void addTo(ArrayNode devices, Path dev) {
        walk(devices, dev, dev, 0);
    }

    private static void walk(ArrayNode devices, Path root, Path dir, int depth) {
        if (depth > 8) {
            return;
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path p : entries) {
                String name = p.getFileName().toString();
                if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    if (!SKIPPED_DIRS.contains(name)) {
                        walk(devices, root, p, depth + 1);
                    }
                    continue;
                }
                if (name.equals("console")) {
                    continue;
                }
                Map<String, Object> a;
                try {
                    a = Files.readAttributes(p, "unix:mode,rdev,uid,gid", LinkOption.NOFOLLOW_LINKS);
                } catch (IOException e) {
                    continue; // vanished meanwhile
                }
                int mode = (Integer) a.get("mode");
                int type = mode & Posix.S_IFMT;
                if (type != Posix.S_IFCHR && type != Posix.S_IFBLK) {
                    continue;
                }
                long rdev = (Long) a.get("rdev");
                ObjectNode d = devices.addObject();
                d.put("path", "/dev/" + root.relativize(p));
                d.put("type", type == Posix.S_IFCHR ? "c" : "b");
                d.put("major", Posix.major(rdev));
                d.put("minor", Posix.minor(rdev));
                d.put("fileMode", mode & 07777);
                d.put("uid", (Integer) a.get("uid"));
                d.put("gid", (Integer) a.get("gid"));
            }
        } catch (IOException e) {
            // An unreadable directory under /dev contributes nothing, as in containerd.
        }
    }
}
