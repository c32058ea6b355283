package dev.berth.engine.build;

import dev.berth.images.layer.LayerDirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The builder's scratch space under the data root ({@code build-tmp}): the unpacked context of each
 * build and the staging directory of each COPY. A directory is discarded as soon as its build or step
 * is done, and deleted on a virtual thread: deleting a 200 MiB context took ~0.6 s that the client
 * waited for before its build ended (bench/build). Whatever a daemon that stopped left here belongs
 * to builds that are over, and the next daemon deletes it when it starts.
 */
public final class BuildTemp {
    private static final Logger LOG = Logger.getLogger(BuildTemp.class.getName());

    private final Path root;
    private final Set<Thread> deleting = ConcurrentHashMap.newKeySet();

    public BuildTemp(Path root) {
        this.root = root;
    }

    /** Starts deleting what is left from an earlier daemon; builds that start meanwhile make new names. */
    public BuildTemp sweepLeftovers() {
        if (Files.isDirectory(root)) {
            try (var entries = Files.list(root)) {
                List<Path> left = entries.toList();
                left.forEach(this::discard);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "could not list " + root + " to clean up after earlier builds", e);
            }
        }
        return this;
    }

    /** A new private directory for one build or step. */
    public Path create(String prefix) throws IOException {
        Files.createDirectories(root);
        Path dir = Files.createTempDirectory(root, prefix);
        Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        return dir;
    }

    /** Deletes the directory in the background; a failure is logged, and the next start retries it. */
    public void discard(Path dir) {
        Thread t = Thread.ofVirtual().name("berth-build-cleanup").unstarted(() -> {
            try {
                LayerDirs.deleteRecursively(dir);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "could not delete the build's scratch directory " + dir, e);
            } finally {
                deleting.remove(Thread.currentThread());
            }
        });
        deleting.add(t);
        t.start();
    }

    /** Waits for the deletions under way, at most {@code max} in all; true when none is left. */
    public boolean awaitDeletions(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread t : Set.copyOf(deleting)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
                if (left <= 0 || !t.join(Duration.ofMillis(left))) {
                    return false;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return deleting.isEmpty();
    }
}
