package dev.berth.engine.build;

import dev.berth.engine.containers.ScopedPath;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How moby's classic builder names a COPY/ADD source in history (builder/dockerfile/copy.go): a file is
 * {@code file:<its sum>}, a directory {@code dir:<sha256 of the sorted sums of everything under it, itself
 * included>}, several sources {@code multi:<sha256 of their hashes in order>}. Sums come from a
 * {@link Hasher}: the context's tar sums, or files hashed from disk for a stage or image.
 */
final class SourceHashes {
    private SourceHashes() {
    }

    /** moby's builder.Source.Hash: the sum for a path relative to the source's root. */
    interface Hasher {
        String hash(String rel) throws IOException;
    }

    /** moby's lazySource: files hashed from disk when first asked for. */
    static Hasher lazy(Path root) {
        Map<String, String> cache = new HashMap<>();
        return rel -> {
            Path full = ScopedPath.resolve(root, "/" + rel, true, false);
            String relPath = root.relativize(full).toString();
            if (relPath.isEmpty()) {
                relPath = ".";
            }
            if (!Files.exists(full, LinkOption.NOFOLLOW_LINKS)) {
                return relPath; // a broken symlink hashes as its path
            }
            String r = relPath;
            String sum = cache.get(r);
            if (sum == null) {
                sum = TarSum.ofFile(full, r);
                cache.put(r, sum);
            }
            return sum;
        };
    }

    /** moby's calcCopyInfo without wildcards: {@code origPath} is relative to root, already checked to stay inside. */
    static String of(Path root, String origPath, Hasher h) throws IOException {
        String p = trim(origPath);
        Path full = ScopedPath.resolve(root, "/" + p, true, false);
        if (!Files.isDirectory(full)) {
            return "file:" + h.hash(p);
        }
        List<String> subfiles = new ArrayList<>();
        for (Path each : walk(full)) {
            String rel = root.relativize(each).toString();
            if (rel.isEmpty()) {
                continue;
            }
            try {
                subfiles.add(h.hash(rel));
            } catch (IOException skipped) {
                // walkSource skips what it cannot hash
            }
        }
        subfiles.sort(null);
        return TarSum.hashStringSlice("dir", subfiles);
    }

    /** moby's copyWithWildcards: what under root matches, in the order Go's WalkDir visits it. */
    static List<Path> matches(Path root, String pattern) throws IOException {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + Path.of(trim(pattern)).normalize());
        List<Path> out = new ArrayList<>();
        for (Path p : walk(root)) {
            if (!p.equals(root) && m.matches(root.relativize(p))) {
                out.add(p);
            }
        }
        return out;
    }

    static String multi(List<String> hashes) {
        return hashes.size() == 1 ? hashes.getFirst() : TarSum.hashStringSlice("multi", hashes);
    }

    private static String trim(String p) {
        String s = p;
        if (s.startsWith("/")) {
            s = s.substring(1);
        }
        if (s.startsWith("./")) {
            s = s.substring(2);
        }
        return s;
    }

    /** filepath.WalkDir's order: a directory, then its entries sorted by name, each depth first; links not followed. */
    static List<Path> walk(Path start) throws IOException {
        List<Path> out = new ArrayList<>();
        walkInto(start, out);
        return out;
    }

    private static void walkInto(Path p, List<Path> out) throws IOException {
        out.add(p);
        if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        List<Path> children;
        try (var l = Files.list(p)) {
            children = new ArrayList<>(l.toList());
        }
        children.sort((a, b) -> a.getFileName().toString().compareTo(b.getFileName().toString()));
        for (Path c : children) {
            walkInto(c, out);
        }
    }
}
