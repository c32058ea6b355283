package dev.berth.images.store;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * Content-addressed blobs under {@code root/blobs/<alg>/<hex>} (the OCI layout's shape). A blob is
 * present only once verified; writers stage under {@code root/tmp}, on the same file system, and
 * rename. Concurrent requests for the same digest share one fetch.
 */
public final class BlobStore {
    /** Produces a blob's bytes into a writer; the store commits it. */
    @FunctionalInterface
    public interface Fetcher {
        void fetchInto(BlobWriter writer) throws IOException;
    }

    private final Path root;
    private final Path tmp;
    private final ConcurrentHashMap<Digest, CompletableFuture<Void>> inFlight = new ConcurrentHashMap<>();

    public BlobStore(Path root) throws IOException {
        this.root = root;
        this.tmp = root.resolve("tmp");
        Files.createDirectories(root.resolve("blobs"));
        Files.createDirectories(tmp);
        sweepTemp();
    }

    public Path root() {
        return root;
    }

    /** Removes what a killed process left half-written. Only safe before any writer starts. */
    private void sweepTemp() throws IOException {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp)) {
            for (Path p : ds) {
                Files.deleteIfExists(p);
            }
        }
    }

    Path pathOf(Digest d) {
        return root.resolve("blobs").resolve(d.algorithm().prefix()).resolve(d.hex());
    }

    public boolean contains(Digest d) {
        return Files.isRegularFile(pathOf(d));
    }

    public Optional<Long> size(Digest d) {
        try {
            return Optional.of(Files.size(pathOf(d)));
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The file holding a present blob, for zero-copy reads. */
    public Path path(Digest d) {
        Path p = pathOf(d);
        if (!Files.isRegularFile(p)) {
            throw BerthException.notFound("blob " + d + " not found");
        }
        return p;
    }

    public InputStream open(Digest d) throws IOException {
        try {
            return Files.newInputStream(pathOf(d));
        } catch (NoSuchFileException e) {
            throw BerthException.notFound("blob " + d + " not found");
        }
    }

    public byte[] read(Digest d) throws IOException {
        try {
            return Files.readAllBytes(pathOf(d));
        } catch (NoSuchFileException e) {
            throw BerthException.notFound("blob " + d + " not found");
        }
    }

    /** Stores bytes whose digest the caller computed (configs, manifests we create). */
    public Digest put(byte[] content) throws IOException {
        Digest d = Digest.sha256Of(content);
        if (!contains(d)) {
            try (BlobWriter w = newWriter(d, content.length)) {
                w.write(content);
                w.commit();
            }
        }
        return d;
    }

    /**
     * Stores a stream whose digest is not known in advance (a file inside a {@code docker load} tar):
     * hashed while staged, then published under the digest it turned out to have.
     */
    public Digest ingest(InputStream in) throws IOException {
        Path staging = newStagingFile("ingest");
        java.security.MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
        try (var out = Files.newOutputStream(staging, java.nio.file.StandardOpenOption.CREATE_NEW)) {
            byte[] buf = new byte[256 * 1024];
            int n;
            while ((n = in.read(buf)) > 0) {
                md.update(buf, 0, n);
                out.write(buf, 0, n);
            }
        } catch (Throwable e) {
            Files.deleteIfExists(staging);
            throw e;
        }
        return publishHashed(staging, Digest.fromMessageDigest(Digest.Algorithm.SHA256, md.digest()));
    }

    /** A file in this store's staging directory, for {@link #publishHashed}: on the same file system as the blobs. */
    public Path newStagingFile(String prefix) {
        return tmp.resolve(prefix + "-" + UUID.randomUUID());
    }

    /**
     * Publishes a file staged by {@link #newStagingFile} under the digest its writer computed over exactly
     * the bytes it wrote (an import's layer tar: the unpacker hashes what it reads while a tee writes it).
     * A rename, not a copy: a large import needs no third copy on disk. The staged file is gone afterwards,
     * published or, when the blob is already present, deleted.
     */
    public Digest publishHashed(Path staged, Digest digest) throws IOException {
        if (!tmp.equals(staged.getParent())) {
            throw new IllegalArgumentException(staged + " is not staged in " + tmp);
        }
        try {
            Path target = pathOf(digest);
            if (!Files.exists(target)) {
                // As BlobWriter.commit does: the bytes must be durable before the name says they are there.
                try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(staged,
                        java.nio.file.StandardOpenOption.WRITE)) {
                    ch.force(true);
                }
                Files.createDirectories(target.getParent());
                Files.move(staged, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            return digest;
        } finally {
            Files.deleteIfExists(staged);
        }
    }

    /** A writer for one blob. Prefer {@link #ensure}, which also shares concurrent fetches. */
    public BlobWriter newWriter(Digest expected, long expectedSize) throws IOException {
        return new BlobWriter(this, expected, expectedSize, tmp.resolve(expected.hex() + "-" + UUID.randomUUID()));
    }

    /**
     * Makes sure the blob is present: returns at once if it is, joins a fetch already under way for the
     * same digest, or runs {@code fetcher} and commits. Returns true if this call did the fetching.
     */
    public boolean ensure(Digest digest, long size, Fetcher fetcher) throws IOException {
        if (contains(digest)) {
            return false;
        }
        CompletableFuture<Void> mine = new CompletableFuture<>();
        CompletableFuture<Void> theirs = inFlight.putIfAbsent(digest, mine);
        if (theirs != null) {
            await(theirs);
            if (!contains(digest)) {
                // The other fetch failed; it already reported its error to its own caller. Try ourselves.
                return ensure(digest, size, fetcher);
            }
            return false;
        }
        try {
            // Re-check: another fetch may have committed between our first check and putIfAbsent.
            boolean fetched = false;
            if (!contains(digest)) {
                try (BlobWriter w = newWriter(digest, size)) {
                    fetcher.fetchInto(w);
                    w.commit();
                }
                fetched = true;
            }
            mine.complete(null);
            return fetched;
        } catch (IOException | RuntimeException | Error e) {
            mine.completeExceptionally(e);
            throw e;
        } finally {
            inFlight.remove(digest, mine);
        }
    }

    private static void await(CompletableFuture<Void> f) throws IOException {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCategory.UNAVAILABLE, "interrupted while waiting for a shared download", e);
        } catch (ExecutionException e) {
            // Swallowed on purpose: the owner's caller reports it; we re-check and retry.
        }
    }

    public List<Digest> list() throws IOException {
        List<Digest> out = new ArrayList<>();
        for (Digest.Algorithm a : Digest.Algorithm.values()) {
            Path dir = root.resolve("blobs").resolve(a.prefix());
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
                for (Path p : ds) {
                    try {
                        out.add(Digest.of(a, p.getFileName().toString()));
                    } catch (BerthException ignored) {
                        // Not ours; leave it alone.
                    }
                }
            }
        }
        return out;
    }

    /** Deletes every blob not in {@code live}; returns the bytes reclaimed. */
    public long garbageCollect(Set<Digest> live) throws IOException {
        long reclaimed = 0;
        for (Digest d : list()) {
            if (!live.contains(d) && !inFlight.containsKey(d)) {
                Path p = pathOf(d);
                long size = Files.size(p);
                if (Files.deleteIfExists(p)) {
                    reclaimed += size;
                }
            }
        }
        return reclaimed;
    }

    public void delete(Digest d) throws IOException {
        Files.deleteIfExists(pathOf(d));
    }
}
