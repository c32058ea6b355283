package dev.berth.engine.containers;

import dev.berth.images.layer.Posix;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What runc leaves in a container's upper directory for the mounts every container gets: the mount
 * points {@code /dev}, {@code /proc} and {@code /sys} when the image lacks them, and the empty files
 * over which {@code /etc/hosts}, {@code /etc/hostname} and {@code /etc/resolv.conf} are bound, plus
 * a parent directory copied up only for them. Docker puts these in its init layer, below the
 * container's layer, so {@code docker diff} and {@code docker commit} never show them; Berth has no
 * init layer, so it leaves them out when reading the upper dir.
 *
 * <p>Only placeholders count: an empty directory or empty regular file that the image does not
 * have. A user's own file at one of these paths (content, or a deletion) is still a change.
 */
final class InitLayer {
    static final List<String> MOUNT_DIRS = List.of("/dev", "/proc", "/sys");
    static final List<String> MOUNT_FILES = List.of("/etc/hostname", "/etc/hosts", "/etc/resolv.conf");

    interface Lower {
        /** The image's attributes ({@code unix:mode,uid,gid}) at {@code path}, or null when it has none. */
        Map<String, Object> attributes(String path) throws IOException;
    }

    private InitLayer() {
    }

    /** Container paths ({@code /etc/hosts}) of the upper dir's entries that belong to the init layer. */
    static Set<String> paths(Path upper, Lower lower) throws IOException {
        Set<String> out = new TreeSet<>();
        for (String d : MOUNT_DIRS) {
            Map<String, Object> a = attributes(upper, d);
            if (a != null && type(a) == Posix.S_IFDIR && isEmptyDir(upper.resolve(d.substring(1))) && lower.attributes(d) == null) {
                out.add(d);
            }
        }
        Set<String> parents = new TreeSet<>();
        for (String f : MOUNT_FILES) {
            Map<String, Object> a = attributes(upper, f);
            if (a != null && type(a) == Posix.S_IFREG && (Long) a.get("size") == 0 && lower.attributes(f) == null) {
                out.add(f);
                parents.add(f.substring(0, f.lastIndexOf('/')));
            }
        }
        for (String p : parents) {
            if (copiedUpOnlyFor(upper, p, out, lower)) {
                out.add(p);
            }
        }
        return out;
    }

    /** {@code /etc} is hidden when it holds nothing else and the image has it with the same owner and mode (or not at all). */
    private static boolean copiedUpOnlyFor(Path upper, String dir, Set<String> hidden, Lower lower) throws IOException {
        Path p = upper.resolve(dir.substring(1));
        Map<String, Object> a = attributes(upper, dir);
        if (a == null || type(a) != Posix.S_IFDIR || p.getParent() == null) {
            return false;
        }
        byte[] opaque = Posix.lgetxattr(p, "trusted.overlay.opaque");
        if (opaque != null && opaque.length == 1 && opaque[0] == 'y') {
            return false;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(p)) {
            for (Path child : s) {
                if (!hidden.contains(dir + "/" + child.getFileName())) {
                    return false;
                }
            }
        }
        Map<String, Object> l = lower.attributes(dir);
        return l == null || (l.get("mode").equals(a.get("mode")) && l.get("uid").equals(a.get("uid"))
                && l.get("gid").equals(a.get("gid")));
    }

    /** The same paths relative to the upper dir ({@code etc/hosts}), as a layer writer wants them. */
    static Set<String> relative(Set<String> paths) {
        Set<String> out = new TreeSet<>();
        paths.forEach(p -> out.add(p.substring(1)));
        return out;
    }

    private static Map<String, Object> attributes(Path upper, String path) throws IOException {
        try {
            return Files.readAttributes(upper.resolve(path.substring(1)), "unix:mode,uid,gid,size", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    private static int type(Map<String, Object> a) {
        return (Integer) a.get("mode") & Posix.S_IFMT;
    }

    private static boolean isEmptyDir(Path dir) throws IOException {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            return !s.iterator().hasNext();
        }
    }
}
