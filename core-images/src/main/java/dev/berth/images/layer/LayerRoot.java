package dev.berth.images.layer;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory a layer is unpacked into, and the only way entry names become filesystem paths.
 *
 * <p>The containment rule: every path this hands out is the root plus components that are each a real
 * directory (checked with lstat, never through a symlink), plus one final name that the caller creates
 * without following links. So no write can land outside the root, whatever symlinks the layer holds.
 *
 * <p>A symlink met in a parent position is followed only if its target is relative and, resolved from
 * where the link really is, stays inside the root; then the walk continues from that directory, as
 * containerd's scoped resolution would. An absolute target or one that climbs out fails the entry:
 * containerd would clamp such a target to the root instead, but a layer that writes through such a
 * link is either hostile or broken, and refusing it is the safer reading. Link chains are cut at 40,
 * as the kernel does.
 *
 * <p>Resolved directories are remembered, so the common case costs no syscall; the memory is dropped
 * whenever the unpacker removes a directory or a symlink, the only events that can change an answer.
 */
final class LayerRoot {
    private static final int MAX_SYMLINK_HOPS = 40;

    private final Path root;
    private final Map<String, Path> directories = new HashMap<>();
    private final int implicitDirMode;

    /**
     * @param root the layer directory, an absolute path without symlinks
     * @param umask the process umask, to know whether a new directory already has mode 0755
     */
    LayerRoot(Path root, int umask) {
        this.root = root;
        this.implicitDirMode = 0777 & ~umask;
    }

    Path path() {
        return root;
    }

    /**
     * Normalises an entry name to a root-relative path of plain components: leading slashes and "."
     * go, ".." steps back, and a ".." that would leave the root fails. Absolute names are taken as
     * relative to the layer root, as Docker and containerd do. "" is the root itself.
     */
    static String normalize(String entryName, String name) {
        if (name.indexOf('\0') >= 0) {
            throw BerthException.invalid("layer entry \"" + printable(entryName) + "\" has a NUL byte in its name");
        }
        if (isClean(name)) {
            return name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        }
        List<String> parts = new ArrayList<>();
        for (String part : name.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (parts.isEmpty()) {
                    throw escapes(entryName, "");
                }
                parts.removeLast();
            } else {
                parts.add(part);
            }
        }
        return String.join("/", parts);
    }

    /** True for the usual name, "a/b/c" or "a/b/", which needs no rewriting. */
    private static boolean isClean(String name) {
        int n = name.length();
        if (n == 0 || name.charAt(0) == '/') {
            return n == 0;
        }
        int segmentStart = 0;
        for (int i = 0; i <= n; i++) {
            if (i == n || name.charAt(i) == '/') {
                int len = i - segmentStart;
                if (len == 0 && i != n) {
                    return false;
                }
                if (len == 1 && name.charAt(segmentStart) == '.') {
                    return false;
                }
                if (len == 2 && name.charAt(segmentStart) == '.' && name.charAt(segmentStart + 1) == '.') {
                    return false;
                }
                segmentStart = i + 1;
            }
        }
        return true;
    }

    /**
     * The real directory for a normalised relative directory path. Missing directories are created
     * (mode 0755, as Docker does) when {@code create} is set; otherwise a missing one gives {@code null}.
     *
     * @param entryName the tar entry being applied, for error messages
     */
    Path directory(String entryName, String rel, boolean create) throws IOException {
        return resolve(entryName, rel, create, new int[1]);
    }

    /** Forgets resolved directories; call after removing a directory or a symlink. */
    void forget() {
        directories.clear();
    }

    private Path resolve(String entryName, String rel, boolean create, int[] hops) throws IOException {
        if (rel.isEmpty()) {
            return root;
        }
        Path known = directories.get(rel);
        if (known != null) {
            return known;
        }
        int slash = rel.lastIndexOf('/');
        Path parent = resolve(entryName, slash < 0 ? "" : rel.substring(0, slash), create, hops);
        if (parent == null) {
            return null;
        }
        Path candidate = parent.resolve(rel.substring(slash + 1));
        BasicFileAttributes attrs = lstat(candidate);
        Path real;
        if (attrs == null) {
            if (!create) {
                return null;
            }
            Files.createDirectory(candidate);
            if (implicitDirMode != 0755) {
                Posix.chmod(candidate, 0755);
            }
            real = candidate;
        } else if (attrs.isDirectory()) {
            real = candidate;
        } else if (attrs.isSymbolicLink()) {
            if (++hops[0] > MAX_SYMLINK_HOPS) {
                throw BerthException.invalid("layer entry \"" + printable(entryName) + "\" passes through more than "
                        + MAX_SYMLINK_HOPS + " symlinks");
            }
            String target = Files.readSymbolicLink(candidate).toString();
            String where = root.relativize(candidate).toString();
            if (target.startsWith("/")) {
                throw escapes(entryName, ": its parent \"" + where + "\" is a symlink to \"" + target + "\"");
            }
            String base = root.relativize(parent).toString();
            String joined = base.isEmpty() ? target : base + "/" + target;
            String resolved;
            try {
                resolved = normalize(entryName, joined);
            } catch (BerthException e) {
                throw escapes(entryName, ": its parent \"" + where + "\" is a symlink to \"" + target + "\"");
            }
            real = resolve(entryName, resolved, create, hops);
            if (real == null) {
                return null;
            }
        } else {
            throw BerthException.invalid("layer entry \"" + printable(entryName) + "\" needs \"" + root.relativize(candidate)
                    + "\" to be a directory, but the layer made it a file");
        }
        directories.put(rel, real);
        return real;
    }

    static BasicFileAttributes lstat(Path path) throws IOException {
        try {
            return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return null;
        }
    }

    static BerthException escapes(String entryName, String detail) {
        return BerthException.invalid("layer entry \"" + printable(entryName) + "\" escapes the layer root" + detail);
    }

    /** Entry names are attacker-controlled: keep control characters out of messages and logs. */
    static String printable(String name) {
        StringBuilder sb = null;
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                if (sb == null) {
                    sb = new StringBuilder(name.substring(0, i));
                }
                sb.append(String.format("\\x%02x", (int) c));
            } else if (sb != null) {
                sb.append(c);
            }
        }
        return sb == null ? name : sb.toString();
    }
}
