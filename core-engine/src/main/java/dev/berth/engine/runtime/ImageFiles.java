package dev.berth.engine.runtime;

import dev.berth.images.layer.Posix;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads small files of a container's root filesystem as overlayfs would show them, straight from its
 * layer directories, so that create can look at /etc/passwd without mounting anything. Overlay's
 * rules apply: the upper-most layer wins, a 0/0 character device is a whiteout, an opaque directory
 * hides the layers below. Symlinks are resolved inside the root (an absolute target or ".." never
 * leaves it, as moby's FollowSymlinkInScope), so an image cannot make the daemon read a host file.
 * With one directory (a mounted rootfs) the same rules read the merged view.
 */
public final class ImageFiles {
    private static final int MAX_SYMLINKS = 40;
    /** passwd and group are small; a bigger file is not read at all rather than held in memory. */
    private static final long MAX_BYTES = 8L * 1024 * 1024;
    private static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private final List<Path> layers;

    /** @param layersTopFirst overlay lowerdirs, upper-most first */
    public ImageFiles(List<Path> layersTopFirst) {
        this.layers = List.copyOf(layersTopFirst);
    }

    public static ImageFiles none() {
        return new ImageFiles(List.of());
    }

    /** The file's text, or empty when it is missing, not a regular file, or too big. */
    public Optional<String> readString(String absolutePath) {
        Optional<Path> p = resolve(absolutePath);
        if (p.isEmpty()) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(p.get(), LinkOption.NOFOLLOW_LINKS)) {
            byte[] b = in.readNBytes((int) MAX_BYTES + 1);
            return b.length > MAX_BYTES ? Optional.empty() : Optional.of(new String(b, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Where the visible regular file at {@code absolutePath} lives, if it is one. */
    Optional<Path> resolve(String absolutePath) {
        if (layers.isEmpty()) {
            return Optional.empty();
        }
        Deque<String> todo = new ArrayDeque<>(split(absolutePath));
        List<String> dir = new ArrayList<>();
        Deque<List<Path>> dirLayers = new ArrayDeque<>();
        dirLayers.push(layers);
        int hops = 0;
        while (!todo.isEmpty()) {
            String c = todo.pop();
            if (c.isEmpty() || c.equals(".")) {
                continue;
            }
            if (c.equals("..")) {
                if (!dir.isEmpty()) {
                    dir.removeLast();
                    dirLayers.pop();
                }
                continue;
            }
            String rel = String.join("/", dir);
            Path found = null;
            PosixFileAttributes foundAttrs = null;
            List<Path> childLayers = new ArrayList<>();
            for (Path layer : dirLayers.peek()) {
                Path p = (rel.isEmpty() ? layer : layer.resolve(rel)).resolve(c);
                PosixFileAttributes a = lstat(p);
                if (a == null) {
                    continue;
                }
                if (isWhiteout(p, a)) {
                    break;
                }
                if (found == null) {
                    found = p;
                    foundAttrs = a;
                    if (!a.isDirectory()) {
                        break;
                    }
                } else if (!a.isDirectory()) {
                    break;
                }
                childLayers.add(layer);
                if (isOpaque(p)) {
                    break;
                }
            }
            if (found == null) {
                return Optional.empty();
            }
            if (foundAttrs.isSymbolicLink()) {
                if (++hops > MAX_SYMLINKS) {
                    return Optional.empty();
                }
                String target;
                try {
                    target = Files.readSymbolicLink(found).toString();
                } catch (IOException e) {
                    return Optional.empty();
                }
                if (target.startsWith("/")) {
                    dir.clear();
                    dirLayers.clear();
                    dirLayers.push(layers);
                }
                List<String> parts = split(target);
                for (int i = parts.size() - 1; i >= 0; i--) {
                    todo.push(parts.get(i));
                }
                continue;
            }
            if (todo.isEmpty()) {
                return foundAttrs.isRegularFile() ? Optional.of(found) : Optional.empty();
            }
            if (!foundAttrs.isDirectory()) {
                return Optional.empty();
            }
            dir.add(c);
            dirLayers.push(childLayers);
        }
        return Optional.empty();
    }

    private static List<String> split(String path) {
        List<String> out = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }

    private static PosixFileAttributes lstat(Path p) {
        try {
            return Files.readAttributes(p, PosixFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean isWhiteout(Path p, PosixFileAttributes a) {
        if (!a.isOther()) {
            return false;
        }
        try {
            Map<String, Object> u = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            return ((Integer) u.get("mode") & Posix.S_IFMT) == Posix.S_IFCHR && (Long) u.get("rdev") == 0;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean isOpaque(Path dir) {
        try {
            byte[] v = Posix.lgetxattr(dir, OPAQUE_XATTR);
            return v != null && v.length == 1 && v[0] == 'y';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }
}
