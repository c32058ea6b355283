package dev.berth.engine.containers;

import dev.berth.images.layer.Posix;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * {@code docker diff}: the container's changes, read from its overlay upper directory. An entry in
 * the upper dir is Added when no image layer has that path and Changed when one does; a 0/0 character
 * device is overlay's whiteout, a Deleted path. An opaque directory (overlay's
 * {@code trusted.overlay.opaque=y}) hides everything the layers had in it, so each such lower entry
 * not present again in the upper dir is Deleted, as moby's overlay differ reports it.
 */
public final class ChangesReader {
    /** Docker's kinds: 0 modified, 1 added, 2 deleted. */
    public enum Kind { MODIFIED, ADDED, DELETED }

    public record Change(String path, Kind kind) {
        public Map<String, Object> toJson() {
            return Map.of("Path", path, "Kind", kind.ordinal());
        }
    }

    private static final String OPAQUE_XATTR = "trusted.overlay.opaque";

    private final Path upper;
    private final List<Path> lowers;

    /** @param lowersTopFirst the image's layer directories, topmost first */
    public ChangesReader(Path upper, List<Path> lowersTopFirst) {
        this.upper = upper;
        this.lowers = lowersTopFirst;
    }

    /** Changes in path order, parents before children. */
    public List<Change> read() throws IOException {
        List<Change> out = new ArrayList<>();
        if (Files.isDirectory(upper, LinkOption.NOFOLLOW_LINKS)) {
            hidden = InitLayer.paths(upper, this::lowerAttributes);
            walk(upper, "", out);
        }
        return out;
    }

    /**
     * The upper dir's entries that are the runtime's mount points rather than the container's changes
     * ({@link InitLayer}), relative to it ({@code etc/hosts}): what a commit leaves out.
     */
    public java.util.Set<String> initLayerEntries() throws IOException {
        if (!Files.isDirectory(upper, LinkOption.NOFOLLOW_LINKS)) {
            return java.util.Set.of();
        }
        return InitLayer.relative(InitLayer.paths(upper, this::lowerAttributes));
    }

    private java.util.Set<String> hidden = java.util.Set.of();

    private void walk(Path dir, String rel, List<Change> out) throws IOException {
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        for (String name : names) {
            Path p = dir.resolve(name);
            String path = rel + "/" + name;
            if (hidden.contains(path)) {
                continue;
            }
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,rdev", LinkOption.NOFOLLOW_LINKS);
            int type = (Integer) a.get("mode") & Posix.S_IFMT;
            if (type == Posix.S_IFCHR && (Long) a.get("rdev") == 0) {
                if (inLower(path)) {
                    out.add(new Change(path, Kind.DELETED));
                }
                continue;
            }
            out.add(new Change(path, inLower(path) ? Kind.MODIFIED : Kind.ADDED));
            if (type == Posix.S_IFDIR) {
                if (isOpaque(p)) {
                    hiddenByOpaque(p, path, out);
                }
                walk(p, path, out);
            }
        }
    }

    /** Lower entries of an opaque directory that the upper dir does not bring back are gone. */
    private void hiddenByOpaque(Path upperDir, String path, List<Change> out) throws IOException {
        TreeSet<String> hidden = new TreeSet<>();
        for (Path lower : lowers) {
            Path d = lower.resolve(path.substring(1));
            if (Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)) {
                try (DirectoryStream<Path> s = Files.newDirectoryStream(d)) {
                    s.forEach(p -> hidden.add(p.getFileName().toString()));
                }
            }
            if (isOpaque(d)) {
                break;
            }
        }
        for (String name : hidden) {
            if (!Files.exists(upperDir.resolve(name), LinkOption.NOFOLLOW_LINKS)) {
                out.add(new Change(path + "/" + name, Kind.DELETED));
            }
        }
    }

    /**
     * Whether the image has {@code path}, honouring the layers' own whiteouts and opaque directories
     * from the top down, so a file deleted by a later layer counts as absent.
     */
    private boolean inLower(String path) throws IOException {
        return lowerAttributes(path) != null;
    }

    /** The topmost layer's {@code unix:mode,uid,gid,rdev} of {@code path}, or null when the image has no such path. */
    private Map<String, Object> lowerAttributes(String path) throws IOException {
        String rel = path.substring(1);
        for (Path lower : lowers) {
            Path p = lower.resolve(rel);
            Map<String, Object> a;
            try {
                a = Files.readAttributes(p, "unix:mode,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException e) {
                if (opaqueAncestor(lower, rel)) {
                    return null;
                }
                continue;
            }
            int type = (Integer) a.get("mode") & Posix.S_IFMT;
            return type == Posix.S_IFCHR && (Long) a.get("rdev") == 0 ? null : a;
        }
        return null;
    }

    private static boolean opaqueAncestor(Path lower, String rel) throws IOException {
        int slash = rel.lastIndexOf('/');
        while (slash > 0) {
            rel = rel.substring(0, slash);
            if (isOpaque(lower.resolve(rel))) {
                return true;
            }
            slash = rel.lastIndexOf('/');
        }
        return false;
    }

    private static boolean isOpaque(Path dir) throws IOException {
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        byte[] v = Posix.lgetxattr(dir, OPAQUE_XATTR);
        return v != null && v.length == 1 && v[0] == 'y';
    }
}
