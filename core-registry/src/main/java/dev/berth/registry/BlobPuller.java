package dev.berth.registry;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.store.BlobStore;
import dev.berth.images.store.BlobWriter;
import okhttp3.Response;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * {@code GET /v2/<name>/blobs/<digest>} into the blob store. The store verifies digest and size and
 * publishes atomically, so a failed, truncated or corrupt download leaves nothing behind. A connection
 * lost mid-blob is resumed with {@code Range: bytes=N-} rather than restarted, when the server honours
 * ranges (206); otherwise the bytes already held are skipped in the new response.
 */
final class BlobPuller {
    static final int BUFFER = 64 * 1024;
    /** Downloading events at most this often (in bytes), so a fast pull does not flood listeners. */
    static final long PROGRESS_EVERY = 512 * 1024;

    private final RegistryCaller caller;

    BlobPuller(RegistryCaller caller) {
        this.caller = caller;
    }

    /** Returns true if this call downloaded the blob, false if it was already present (or shared). */
    boolean fetch(String repository, Descriptor blob, BlobStore store, ProgressListener listener,
                  BlobStreamConsumer consumer) throws IOException {
        String id = ProgressEvent.idOf(blob.digest());
        if (consumer == null) {
            boolean fetched = store.ensure(blob.digest(), blob.size(), w -> download(repository, blob, w, null, listener));
            listener.onProgress(id, fetched ? new ProgressEvent.DownloadComplete() : new ProgressEvent.AlreadyExists());
            return fetched;
        }
        StreamTee tee = new StreamTee();
        try (ExecutorService consumerThread = Executors.newVirtualThreadPerTaskExecutor()) {
            Future<?> consuming = consumerThread.submit(() -> {
                try (InputStream in = tee.input()) {
                    consumer.consume(in);
                }
                return null;
            });
            boolean fetched;
            try {
                fetched = store.ensure(blob.digest(), blob.size(), w -> download(repository, blob, w, tee, listener));
                if (!fetched) {
                    // Already present, or another caller fetched it: feed the consumer from the verified file.
                    try (InputStream in = store.open(blob.digest())) {
                        byte[] buf = new byte[BUFFER];
                        for (int n; (n = in.read(buf)) > 0; ) {
                            tee.write(buf, 0, n);
                        }
                    }
                }
                tee.finish();
            } catch (IOException | RuntimeException | Error e) {
                tee.fail(e);
                awaitQuietly(consuming);
                throw e;
            }
            await(consuming);
            listener.onProgress(id, fetched ? new ProgressEvent.DownloadComplete() : new ProgressEvent.AlreadyExists());
            return fetched;
        }
    }

    private static void awaitQuietly(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException ignored) {
            // The download's own failure is the one to report.
        }
    }

    private static void await(Future<?> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCategory.UNAVAILABLE, "interrupted while a layer was being consumed", e);
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof IOException io) {
                throw io;
            }
            if (c instanceof RuntimeException re) {
                throw re;
            }
            if (c instanceof Error err) {
                throw err;
            }
            throw new UncheckedIOException(new IOException(c));
        }
    }

    private void download(String repository, Descriptor blob, BlobWriter writer, StreamTee tee,
                          ProgressListener listener) throws IOException {
        String id = ProgressEvent.idOf(blob.digest());
        RetryPolicy retry = caller.retry();
        String path = "/v2/" + repository + "/blobs/" + blob.digest();
        int failures = 0;
        long lastReported = -PROGRESS_EVERY;
        while (true) {
            long offset = writer.written();
            RegistryCaller.Call call = RegistryCaller.Call.get(path)
                    .scope(RegistryAuthenticator.repositoryScope(repository, false)).accept(200, 206)
                    .progress(listener, id)
                    .errors(f -> f.hasCode("BLOB_UNKNOWN") || f.status() == 404
                            ? new BerthException(ErrorCategory.NOT_FOUND, "blob " + blob.digest() + " not found in "
                                    + caller.registry() + "/" + repository + ": " + f.describe())
                            : RegistryErrors.DEFAULT.translate(f));
            if (offset > 0) {
                call.header("Range", "bytes=" + offset + "-");
            }
            Response response;
            try {
                response = caller.execute(call);
            } catch (BerthException e) {
                if (e.category() != ErrorCategory.UNAVAILABLE) {
                    throw e;
                }
                // The caller already spent its retries reconnecting: say which blob, and how far it got.
                throw new BerthException(ErrorCategory.UNAVAILABLE, "failed to fetch blob " + blob.digest() + " from "
                        + caller.registry() + "/" + repository + " (" + writer.written() + " of " + blob.size()
                        + " bytes received): " + e.getMessage(), e);
            }
            try (Response r = response; InputStream in = r.body().byteStream()) {
                long start = r.code() == 206 ? rangeStart(r.header("Content-Range")) : 0;
                if (start != offset) {
                    if (start != 0) {
                        throw new java.net.ProtocolException("asked for bytes from " + offset + ", server sent from " + start);
                    }
                    skipFully(in, offset); // the server ignored Range: drop what we already hold
                }
                byte[] buf = new byte[BUFFER];
                for (int n; (n = fill(in, buf, writer, tee)) > 0; ) {
                    if (writer.written() - lastReported >= PROGRESS_EVERY || writer.written() == blob.size()) {
                        lastReported = writer.written();
                        listener.onProgress(id, new ProgressEvent.Downloading(writer.written(), blob.size()));
                    }
                }
                // A clean end of stream short of the size is the server's word, not a lost connection:
                // commit reports it as truncated rather than asking again for what it will not give.
                listener.onProgress(id, new ProgressEvent.Verifying());
                return;
            } catch (IOException e) {
                if (e instanceof java.io.InterruptedIOException && Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                failures++;
                if (!retry.isRetriedFailure(e) || failures >= retry.maxAttempts()) {
                    throw new BerthException(ErrorCategory.UNAVAILABLE, "failed to fetch blob " + blob.digest() + " from "
                            + caller.registry() + "/" + repository + " after " + failures + " attempt"
                            + (failures == 1 ? "" : "s") + " (" + writer.written() + " of " + blob.size()
                            + " bytes received): " + e.getMessage(), e);
                }
                listener.onProgress(id, new ProgressEvent.Retrying(failures + 1, "connection lost after "
                        + writer.written() + " bytes: " + e.getMessage()));
                RetryPolicy.sleep(retry.delayAfter(failures, null));
            }
        }
    }

    /** The first byte of a {@code Content-Range: bytes 1000-1999/2000}; -1 if unreadable. */
    private static long rangeStart(String contentRange) {
        if (contentRange == null || !contentRange.startsWith("bytes ")) {
            return -1;
        }
        int dash = contentRange.indexOf('-');
        try {
            return dash > 6 ? Long.parseLong(contentRange.substring(6, dash).trim()) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Reads up to a whole buffer and hands it on. okio gives out 8 KiB per read; passing on 64 KiB at a
     * time cuts the write, hash and hand-off calls eightfold (bench/pull: the pull is 10% faster). What
     * arrived before a connection breaks is still handed on, so a resume asks for exactly the rest.
     */
    private static int fill(InputStream in, byte[] buf, BlobWriter writer, StreamTee tee) throws IOException {
        int filled = 0;
        try {
            for (int r; filled < buf.length && (r = in.read(buf, filled, buf.length - filled)) > 0; ) {
                filled += r;
            }
        } finally {
            if (filled > 0) {
                try {
                    writer.write(buf, 0, filled);
                } catch (IOException e) {
                    // This machine's disk, not the registry: nothing a retry or a reconnect would mend.
                    throw new BerthException(ErrorCategory.SYSTEM, "cannot store the blob being pulled: " + e.getMessage(), e);
                }
                if (tee != null) {
                    tee.write(buf, 0, filled);
                }
            }
        }
        return filled;
    }

    private static void skipFully(InputStream in, long n) throws IOException {
        long left = n;
        byte[] buf = new byte[BUFFER];
        while (left > 0) {
            int r = in.read(buf, 0, (int) Math.min(buf.length, left));
            if (r < 0) {
                throw new java.io.EOFException("server restarted the blob and ended before the resume point");
            }
            left -= r;
        }
    }
}
