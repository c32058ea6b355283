package dev.berth.engine.logs;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * Docker's {@code max-file} on top of conmon's {@code --log-size-max}. conmon rotates by renaming a fresh
 * file over the log, which unlinks the old content; this keeps a second link to whichever file is live
 * ({@code .<log>.keep}), so when conmon replaces it the old content still has a name and is moved to
 * {@code <log>.1}, shifting older ones up and dropping what max-file does not allow.
 *
 * <p>It works only as often as {@link #check()} runs: if conmon rotates twice between two checks, the
 * file in between is lost, as it is with conmon alone. At Docker's default sizes (MiBs) a check every
 * poll of a follower or every few hundred milliseconds from the daemon is ample. The link survives a
 * daemon restart, so a restarted daemon carries on where it stopped.
 */
public final class RotatedLogKeeper {
    private final Path log;
    private final int maxFiles;
    private final Path keep;

    /** @param maxFiles Docker's max-file: the live log counts as one, so 1 keeps no rotated file */
    public RotatedLogKeeper(Path log, int maxFiles) {
        if (maxFiles < 1) {
            throw new IllegalArgumentException("max-file must be at least 1, was " + maxFiles);
        }
        this.log = Objects.requireNonNull(log);
        this.maxFiles = maxFiles;
        this.keep = log.resolveSibling("." + log.getFileName() + ".keep");
    }

    /** Looks whether conmon has rotated since the last check; returns true if it kept a rotated file. */
    public synchronized boolean check() throws IOException {
        Object liveKey = key(log);
        if (liveKey == null) {
            return false;
        }
        Object keptKey = key(keep);
        if (liveKey.equals(keptKey)) {
            return false;
        }
        boolean kept = false;
        if (keptKey != null) {
            if (maxFiles > 1) {
                Files.deleteIfExists(numbered(maxFiles - 1));
                for (int i = maxFiles - 2; i >= 1; i--) {
                    if (Files.exists(numbered(i))) {
                        Files.move(numbered(i), numbered(i + 1), StandardCopyOption.ATOMIC_MOVE);
                    }
                }
                Files.move(keep, numbered(1), StandardCopyOption.ATOMIC_MOVE);
                kept = true;
            } else {
                Files.delete(keep);
            }
        }
        try {
            Files.createLink(keep, log);
        } catch (FileAlreadyExistsException | NoSuchFileException e) {
            // Another rotation raced this one; the next check links whatever is live then.
            return kept;
        }
        return kept;
    }

    /** Removes the kept files and the link, for a container being removed. */
    public synchronized void deleteKept() throws IOException {
        Files.deleteIfExists(keep);
        for (int i = 1; Files.deleteIfExists(numbered(i)); i++) {
            // numbered files are contiguous from 1
        }
    }

    private Path numbered(int i) {
        return log.resolveSibling(log.getFileName() + "." + i);
    }

    private static Object key(Path p) throws IOException {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (NoSuchFileException e) {
            return null;
        }
    }
}
