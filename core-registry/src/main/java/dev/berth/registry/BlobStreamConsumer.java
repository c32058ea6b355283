package dev.berth.registry;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a blob while it downloads, e.g. to unpack a layer without waiting for the whole file.
 *
 * <p>The stream carries the blob's bytes exactly once, in order, even when the download is retried:
 * a retry resumes with {@code Range} (or, if the server ignores Range, skips what was already
 * received), so the consumer never sees a restart and never needs to start over. The price is that
 * bytes are handed over before the digest can be known: the stream reports end-of-file only after the
 * whole blob has been verified and committed to the store, and a failed or corrupt download makes
 * {@code read} throw an {@link IOException} whose cause is the {@link dev.berth.errors.BerthException}.
 * A consumer must therefore treat its output as provisional until it sees EOF (e.g. unpack into a
 * staging directory and rename on success).
 *
 * <p>The consumer runs on its own thread. If it returns early, the rest of the blob is still stored;
 * if it throws, the fetch fails with its exception.
 */
@FunctionalInterface
public interface BlobStreamConsumer {
    void consume(InputStream verifiedInProgress) throws IOException;
}
