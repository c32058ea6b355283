package dev.berth.engine.build;

import dev.berth.engine.containers.ArchiveExtractor;
import dev.berth.errors.BerthException;
import dev.berth.images.archive.Compressions;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The build context: the request body's tar unpacked into a private temporary directory. Extraction
 * goes through {@link ArchiveExtractor}, whose in-root resolution refuses entries that climb out
 * ({@code ..}, absolute names re-rooted) and never follows a symlink out of the directory, so a hostile
 * context can only hurt itself. A compressed context (gzip, bzip2, xz, zstd) is read as moby's
 * {@code DecompressStream} reads it. Deleted on close.
 */
public final class BuildContext implements AutoCloseable {
    private final Path dir;
    private final BuildTemp temp;
    /** moby's tarsum of each entry of the tar, by cleaned name: what COPY's history names its sources by. */
    private final java.util.Map<String, String> sums;

    private BuildContext(Path dir, BuildTemp temp, java.util.Map<String, String> sums) {
        this.dir = dir;
        this.temp = temp;
        this.sums = sums;
    }

    public static BuildContext fromTar(InputStream body, BuildTemp temp) throws IOException {
        Path dir = temp.create("ctx-");
        try {
            TarSum.Collector sums = new TarSum.Collector();
            new ArchiveExtractor(dir, "/", false, 0, 0).observe(sums).extract(Compressions.decompressStream(body));
            // The archive can end before the body does (end-of-archive blocks, a record's padding).
            // Reading the rest before the first step answers is what dockerd does; the docker CLI
            // prints its "Sending build context" line once the upload is done, before "Step 1".
            body.transferTo(java.io.OutputStream.nullOutputStream());
            return new BuildContext(dir, temp, sums.finish());
        } catch (IOException | RuntimeException e) {
            temp.discard(dir);
            throw e;
        }
    }

    public Path dir() {
        return dir;
    }

    /** The Dockerfile's text; {@code name} is relative to the context root, as {@code -f} arrives. */
    public String dockerfile(String name) throws IOException {
        Path p = resolveInside(name);
        if ((p == null || !Files.exists(p)) && "Dockerfile".equals(name)) {
            p = resolveInside("dockerfile"); // moby falls back to the lowercase name for the default only
        }
        if (p == null || !Files.isRegularFile(p)) {
            throw BerthException.invalid("Cannot locate specified Dockerfile: " + name);
        }
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** {@code .dockerignore} text, or null. */
    public String dockerignore() throws IOException {
        Path p = dir.resolve(".dockerignore");
        return Files.isRegularFile(p, java.nio.file.LinkOption.NOFOLLOW_LINKS) ? Files.readString(p) : null;
    }

    /**
     * A context path resolved lexically and checked to stay inside; symlinks are then resolved by the
     * caller with {@link dev.berth.engine.containers.ScopedPath} so they cannot lead out either.
     * @return null when the path climbs out of the context
     */
    public Path resolveInside(String rel) {
        Path p = dir.resolve(rel.startsWith("/") ? rel.substring(1) : rel).normalize();
        return p.startsWith(dir) ? p : null;
    }

    /**
     * moby's archiveContext.Hash: the sum of the entry the path leads to, symlinks followed inside the
     * context; a path the tar had no entry for hashes as itself.
     */
    String hash(String path) throws IOException {
        Path full = dev.berth.engine.containers.ScopedPath.resolve(dir, "/" + path, true, false);
        String rel = dir.relativize(full).toString();
        String sum = sums.get(rel.isEmpty() ? "." : rel);
        return sum != null ? sum : path;
    }

    @Override
    public void close() {
        temp.discard(dir);
    }
}
