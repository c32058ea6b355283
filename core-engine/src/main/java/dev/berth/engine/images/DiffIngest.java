package dev.berth.engine.images;

import dev.berth.images.Digest;
import dev.berth.images.layer.LayerDiffer;

import java.io.IOException;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicReference;

/** Turns an overlay upper directory into a layer blob; shared by commit and the builder's RUN steps. */
public final class DiffIngest {
    private DiffIngest() {
    }

    /** The diff streamed straight into the blob store, hashed on the way: its digest is the diffID. */
    public static Digest ingestDiff(ImageService images, Path upper) throws IOException {
        return ingestDiff(images, upper, java.util.Set.of());
    }

    /** As {@link #ingestDiff(ImageService, Path)}, leaving out {@code skip} (paths relative to the upper dir). */
    public static Digest ingestDiff(ImageService images, Path upper, java.util.Set<String> skip) throws IOException {
        PipedInputStream in = new PipedInputStream(256 * 1024);
        PipedOutputStream out = new PipedOutputStream(in);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread writer = Thread.ofVirtual().name("berth-layer-diff").start(() -> {
            try (out) {
                new LayerDiffer().writeDiff(upper, out, skip);
            } catch (Throwable t) {
                failure.set(t);
            }
        });
        Digest d;
        try (in) {
            d = images.blobs().ingest(in);
        }
        try {
            writer.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while writing a layer diff", e);
        }
        Throwable t = failure.get();
        if (t instanceof IOException io) {
            throw io;
        }
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t != null) {
            throw new IOException(t);
        }
        return d;
    }
}
