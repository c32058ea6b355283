package dev.berth.engine.containers;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * Paths inside a container's root, resolved the way moby's {@code FollowSymlinkInScope} does: every
 * component is looked at with lstat, a symlink is read and its target walked again from the root
 * (absolute) or from where it sits (relative), and ".." never climbs above the root. So whatever the
 * container's symlinks say, the answer is the root plus real directories, and never a host path.
 *
 * <p>Limit: a running container can still swap a directory for a symlink between this check and the
 * caller's use of the path; the final component is always opened without following links, but parents
 * are not re-checked (openat2 with RESOLVE_IN_ROOT would close that; it is not used yet).
 */
public final class ScopedPath {
    private static final int MAX_SYMLINK_HOPS = 40;

    private ScopedPath() {
    }

    /**
     * @param containerPath any path as the container would see it ("/etc/x", "etc/../x")
     * @param followLast    whether a symlink in the last position is followed too
     * @param createDirs    whether missing directories before the last component are created (mode 0755)
     * @return a host path under {@code root}; it may not exist (nor its parents, without createDirs)
     */
    public static Path resolve(Path root, String containerPath, boolean followLast, boolean createDirs) throws IOException {
        Deque<String> pending = new ArrayDeque<>(components(containerPath));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String c = pending.pop();
            if (c.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(root, done).resolve(c);
            BasicFileAttributes a = lstat(candidate);
            boolean last = pending.isEmpty();
            if (a == null) {
                if (last) {
                    return candidate;
                }
                if (createDirs) {
                    Files.createDirectory(candidate);
                }
                // Like moby's FollowSymlinkInScope, a missing component is taken as it is written.
                done.add(c);
            } else if (a.isSymbolicLink()) {
                if (last && !followLast) {
                    return candidate;
                }
                if (++hops > MAX_SYMLINK_HOPS) {
                    throw BerthException.invalid("too many levels of symbolic links in " + containerPath);
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> t = components(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    pending.push(t.get(i));
                }
            } else if (a.isDirectory() || last) {
                done.add(c);
            } else {
                throw new java.nio.file.NotDirectoryException(containerPathOf(root, candidate));
            }
        }
        return join(root, done);
    }

    /** The container's view of a host path under {@code root}: "/" plus the relative part. */
    public static String containerPathOf(Path root, Path hostPath) {
        String rel = root.relativize(hostPath).toString();
        return rel.isEmpty() ? "/" : "/" + rel;
    }

    static List<String> components(String path) {
        List<String> out = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty() && !part.equals(".")) {
                out.add(part);
            }
        }
        return out;
    }

    private static Path join(Path root, List<String> parts) {
        Path p = root;
        for (String s : parts) {
            p = p.resolve(s);
        }
        return p;
    }

    static BasicFileAttributes lstat(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
