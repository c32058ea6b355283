package dev.berth.engine.images;

import dev.berth.images.Digest;
import dev.berth.images.layer.LayerDirs;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.UUID;

/**
 * Unpacked layers, one directory per diffID under {@code layers/}, each ready to be an overlay lowerdir.
 * A layer is unpacked into a staging directory and renamed into place only once its diffID is
 * verified, so a directory under its final name is always complete.
 */
public final class LayerStore {
    private static final String STAGING_PREFIX = ".staging-";

    private final Path root;

    public LayerStore(Path root) throws IOException {
        this.root = root;
        Files.createDirectories(root);
    }

    public Path path(Digest diffId) {
        return root.resolve(diffId.hex());
    }

    public boolean contains(Digest diffId) {
        return Files.isDirectory(path(diffId));
    }

    /** A fresh private directory to unpack into. */
    public Path newStagingDir() throws IOException {
        Path dir = root.resolve(STAGING_PREFIX + UUID.randomUUID());
        Files.createDirectory(dir);
        return dir;
    }

    /** Publishes a verified staging directory; if another pull won the race, ours is discarded. */
    public void commit(Path staging, Digest diffId) throws IOException {
        Path target = path(diffId);
        if (Files.exists(target)) {
            LayerDirs.deleteRecursively(staging);
            return;
        }
        try {
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
            LayerDirs.deleteRecursively(staging);
        }
    }

    public void delete(Digest diffId) throws IOException {
        LayerDirs.deleteRecursively(path(diffId));
    }

    /** Start-up: drops staging leftovers of killed pulls and directories the catalog does not know. */
    public void sweep(Set<Digest> known) throws IOException {
        sweep(known, true);
    }

    /**
     * At run time, with no content work in flight (the caller holds the content lock for writing):
     * drops complete layer directories that no recorded layer names, such as those a load that failed
     * at a later layer had already committed. Staging directories are left to the start-up sweep.
     *
     * @return how many directories went
     */
    public int sweepUnrecorded(Set<Digest> known) throws IOException {
        return sweep(known, false);
    }

    private int sweep(Set<Digest> known, boolean staging) throws IOException {
        int removed = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(root)) {
            for (Path p : ds) {
                String name = p.getFileName().toString();
                boolean keep;
                if (name.startsWith(STAGING_PREFIX)) {
                    keep = !staging;
                } else {
                    try {
                        keep = known.contains(Digest.of(Digest.Algorithm.SHA256, name));
                    } catch (RuntimeException notADigest) {
                        keep = false;
                    }
                }
                if (!keep) {
                    LayerDirs.deleteRecursively(p);
                    removed++;
                }
            }
        }
        return removed;
    }

    /** Bytes used by all layer directories (for /system/df): apparent sizes of regular files. */
    public Path root() {
        return root;
    }
}
