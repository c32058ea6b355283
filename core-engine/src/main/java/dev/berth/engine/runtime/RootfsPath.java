package dev.berth.engine.runtime;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A container path resolved on the host inside a root filesystem, following symlinks the way the
 * container would see them: an absolute link target restarts at the rootfs, and ".." never climbs
 * above it (the semantics of runc's securejoin). The host's own symlinks are never followed, so an
 * image cannot point the daemon at a host file by shipping {@code /data -> /../../etc}.
 */
public final class RootfsPath {
    static final int MAX_LINKS = 255;

    private RootfsPath() {
    }

    /** The host path for {@code containerPath}; components that do not exist are appended as they are. */
    public static Path resolve(Path root, String containerPath) throws IOException {
        Deque<String> todo = new ArrayDeque<>(parts(containerPath));
        List<String> done = new ArrayList<>();
        int links = 0;
        while (!todo.isEmpty()) {
            String part = todo.pollFirst();
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.removeLast();
                }
                continue;
            }
            Path candidate = join(root, done).resolve(part);
            if (Files.isSymbolicLink(candidate)) {
                if (++links > MAX_LINKS) {
                    throw BerthException.invalid("too many levels of symbolic links resolving " + containerPath + " in the container");
                }
                String target = Files.readSymbolicLink(candidate).toString();
                if (target.startsWith("/")) {
                    done.clear();
                }
                List<String> t = parts(target);
                for (int i = t.size() - 1; i >= 0; i--) {
                    todo.addFirst(t.get(i));
                }
                continue;
            }
            done.add(part);
        }
        return join(root, done);
    }

    private static List<String> parts(String p) {
        List<String> out = new ArrayList<>();
        for (String s : p.split("/")) {
            if (!s.isEmpty() && !s.equals(".")) {
                out.add(s);
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
}
