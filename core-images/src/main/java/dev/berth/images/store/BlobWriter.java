package dev.berth.images.store;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;

/**
 * A blob being written: bytes go to a private temp file and into a running hash. {@link #commit()}
 * verifies size and digest, then renames into place, so a reader never sees a partial or wrong blob,
 * even after a crash (the temp directory is swept on open). Not thread-safe: one writer, one thread.
 */
public final class BlobWriter extends OutputStream {
    private final BlobStore store;
    private final Digest expected;
    private final long expectedSize;
    private final Path temp;
    private final OutputStream out;
    private final MessageDigest hash;
    private long written;
    private boolean closed;

    BlobWriter(BlobStore store, Digest expected, long expectedSize, Path temp) throws IOException {
        this.store = store;
        this.expected = expected;
        this.expectedSize = expectedSize;
        this.temp = temp;
        this.out = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        this.hash = expected.algorithm().newMessageDigest();
    }

    public Digest expected() {
        return expected;
    }

    /** Bytes accepted so far: where a resumed download (HTTP Range) must continue. */
    public long written() {
        return written;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (expectedSize >= 0 && written + len > expectedSize) {
            throw new BerthException(ErrorCategory.DATA_LOSS, "blob " + expected + " is larger than its declared size "
                    + expectedSize);
        }
        out.write(b, off, len);
        hash.update(b, off, len);
        written += len;
    }

    /** Verifies and publishes the blob. On mismatch the temp file is removed and nothing is stored. */
    public void commit() throws IOException {
        closeQuietly();
        try {
            if (expectedSize >= 0 && written != expectedSize) {
                throw new BerthException(ErrorCategory.DATA_LOSS, "blob " + expected + " is truncated: got " + written
                        + " of " + expectedSize + " bytes");
            }
            Digest actual = Digest.fromMessageDigest(expected.algorithm(), hash.digest());
            if (!actual.equals(expected)) {
                throw new BerthException(ErrorCategory.DATA_LOSS, "digest mismatch: expected " + expected + ", got "
                        + actual);
            }
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Path target = store.pathOf(expected);
            Files.createDirectories(target.getParent());
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                throw new IOException("blob store temp and blob directories are on different file systems", e);
            }
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Drops the partial blob. Safe to call after commit. */
    public void abort() {
        closeQuietly();
        try {
            Files.deleteIfExists(temp);
        } catch (IOException ignored) {
            // A leftover temp file is swept when the store is next opened.
        }
    }

    @Override
    public void close() {
        abort();
    }

    private void closeQuietly() {
        if (!closed) {
            closed = true;
            try {
                out.close();
            } catch (IOException ignored) {
                // Nothing to save: the caller either commits (which re-checks) or aborts.
            }
        }
    }
}
