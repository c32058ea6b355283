package dev.berth.images.store;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static dev.berth.images.BerthAssertions.assertFails;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class BlobStoreTest {
    @TempDir
    Path root;

    static byte[] content(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    static List<Path> tmpFiles(Path root) throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
            return s.toList();
        }
    }

    // ---- publishHashed ----

    @Test
    void aStagedFileIsPublishedByRenameAndAPresentBlobOnlyDropsTheCopy() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(300_000, 7);
        Digest d = Digest.sha256Of(data);
        Path staged = store.newStagingFile("import");
        Files.write(staged, data);
        long inode = (long) Files.getAttribute(staged, "unix:ino");
        assertEquals(d, store.publishHashed(staged, d));
        assertArrayEquals(data, store.read(d));
        assertEquals(inode, (long) Files.getAttribute(store.path(d), "unix:ino"), "renamed, not copied");
        assertEquals(List.of(), tmpFiles(root));

        Path again = store.newStagingFile("import");
        Files.write(again, data);
        assertEquals(d, store.publishHashed(again, d));
        assertEquals(inode, (long) Files.getAttribute(store.path(d), "unix:ino"), "the present blob is kept");
        assertEquals(List.of(), tmpFiles(root), "the second copy is gone");
    }

    @Test
    void onlyAFileStagedInTheStoreCanBePublished() throws IOException {
        BlobStore store = new BlobStore(root);
        Path elsewhere = Files.write(root.resolve("outside"), content(10, 1));
        assertThrows(IllegalArgumentException.class, () -> store.publishHashed(elsewhere, Digest.sha256Of(content(10, 1))));
        assertTrue(Files.exists(elsewhere), "left alone");
    }

    // ---- put / read ----

    @Test
    void putThenRead() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(100_000, 1);
        Digest d = store.put(data);
        assertEquals(Digest.sha256Of(data), d);
        assertTrue(store.contains(d));
        assertEquals(java.util.Optional.of(100_000L), store.size(d));
        assertArrayEquals(data, store.read(d));
        try (InputStream in = store.open(d)) {
            assertArrayEquals(data, in.readAllBytes());
        }
        assertEquals(root.resolve("blobs/sha256/" + d.hex()), store.path(d));
        assertEquals(d, store.put(data), "putting the same content again is a no-op");
        assertEquals(List.of(d), store.list());
        assertEquals(List.of(), tmpFiles(root));
    }

    @Test
    void emptyBlobIsABlob() throws IOException {
        BlobStore store = new BlobStore(root);
        Digest d = store.put(new byte[0]);
        assertEquals("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", d.toString());
        assertArrayEquals(new byte[0], store.read(d));
    }

    @Test
    void absentBlobsAreNotFound() throws IOException {
        BlobStore store = new BlobStore(root);
        Digest d = Digest.sha256Of(new byte[] {42});
        assertFalse(store.contains(d));
        assertEquals(java.util.Optional.empty(), store.size(d));
        assertFails(ErrorCategory.NOT_FOUND, () -> store.read(d), "blob " + d + " not found");
        assertFails(ErrorCategory.NOT_FOUND, () -> store.open(d), "not found");
        assertFails(ErrorCategory.NOT_FOUND, () -> store.path(d), "not found");
    }

    @Test
    void deleteRemovesABlob() throws IOException {
        BlobStore store = new BlobStore(root);
        Digest d = store.put(content(10, 2));
        store.delete(d);
        assertFalse(store.contains(d));
        store.delete(d); // absent: no error
    }

    // ---- verified streaming writes ----

    @Test
    void streamingWriteIsVerifiedAndPublished() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(300_000, 3);
        Digest d = Digest.sha256Of(data);
        try (BlobWriter w = store.newWriter(d, data.length)) {
            assertEquals(d, w.expected());
            w.write(data, 0, 1000);
            assertFalse(store.contains(d), "nothing is visible before commit");
            assertEquals(1, tmpFiles(root).size(), "bytes are staged under root/tmp");
            w.write(data[1000]);
            w.write(data, 1001, data.length - 1001);
            assertEquals(data.length, w.written());
            w.commit();
        }
        assertArrayEquals(data, store.read(d));
        assertEquals(List.of(), tmpFiles(root));
    }

    @Test
    void unknownSizeStillVerifiesTheDigest() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(5000, 4);
        Digest d = Digest.sha256Of(data);
        try (BlobWriter w = store.newWriter(d, -1)) {
            w.write(data);
            w.commit();
        }
        assertTrue(store.contains(d));
        Digest other = Digest.sha256Of(content(10, 5));
        try (BlobWriter w = store.newWriter(other, -1)) {
            w.write(data);
            assertFails(ErrorCategory.DATA_LOSS, w::commit, "digest mismatch");
        }
        assertFalse(store.contains(other));
    }

    @Test
    void sha512BlobsAreVerifiedWithSha512() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(1234, 6);
        Digest d = Digest.fromMessageDigest(Digest.Algorithm.SHA512, Digest.Algorithm.SHA512.newMessageDigest().digest(data));
        try (BlobWriter w = store.newWriter(d, data.length)) {
            w.write(data);
            w.commit();
        }
        assertTrue(Files.isRegularFile(root.resolve("blobs/sha512/" + d.hex())));
        assertTrue(store.list().contains(d));
    }

    @Test
    void mismatchedDigestIsDataLossAndNothingIsVisible() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(2048, 7);
        byte[] claimed = content(2048, 8);
        Digest d = Digest.sha256Of(claimed);
        try (BlobWriter w = store.newWriter(d, data.length)) {
            w.write(data);
            assertFails(ErrorCategory.DATA_LOSS, w::commit, "digest mismatch", "expected " + d,
                    "got " + Digest.sha256Of(data));
        }
        assertFalse(store.contains(d));
        assertFalse(store.contains(Digest.sha256Of(data)));
        assertEquals(List.of(), tmpFiles(root));
        assertEquals(List.of(), store.list());
    }

    @Test
    void truncatedStreamIsDataLoss() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(4096, 9);
        Digest d = Digest.sha256Of(data);
        try (BlobWriter w = store.newWriter(d, data.length)) {
            w.write(data, 0, 4000);
            assertFails(ErrorCategory.DATA_LOSS, w::commit, "truncated", "got 4000 of 4096 bytes");
        }
        assertFalse(store.contains(d));
        assertEquals(List.of(), tmpFiles(root));
    }

    @Test
    void oversizeStreamIsDataLossAtTheFirstExtraByte() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(4096, 10);
        Digest d = Digest.sha256Of(data);
        try (BlobWriter w = store.newWriter(d, 4095)) {
            w.write(data, 0, 4000);
            assertFails(ErrorCategory.DATA_LOSS, () -> w.write(data, 4000, 96), "larger than its declared size 4095");
            assertEquals(4000, w.written(), "the rejected chunk is not counted");
            assertFails(ErrorCategory.DATA_LOSS, w::commit);
        }
        assertFalse(store.contains(d));
        assertEquals(List.of(), tmpFiles(root));
    }

    @Test
    void aWriterClosedWithoutCommitLeavesNothing() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(100, 11);
        Digest d = Digest.sha256Of(data);
        BlobWriter w = store.newWriter(d, data.length);
        w.write(data);
        w.close();
        w.abort(); // twice is harmless
        assertFalse(store.contains(d));
        assertEquals(List.of(), tmpFiles(root));
    }

    // ---- crash recovery ----

    @Test
    void tempFilesAreSweptWhenTheStoreIsReopened() throws IOException {
        BlobStore store = new BlobStore(root);
        Digest kept = store.put(content(64, 12));
        byte[] data = content(1 << 20, 13);
        Digest d = Digest.sha256Of(data);
        // Simulate a crash: a writer staged half a blob and the process died without closing it.
        BlobWriter w = store.newWriter(d, data.length);
        w.write(data, 0, data.length / 2);
        Files.write(root.resolve("tmp/ingest-" + java.util.UUID.randomUUID()), content(10, 14));
        assertEquals(2, tmpFiles(root).size());

        BlobStore reopened = new BlobStore(root);
        assertEquals(List.of(), tmpFiles(root));
        assertFalse(reopened.contains(d));
        assertTrue(reopened.contains(kept), "committed blobs survive a reopen");
        assertEquals(List.of(kept), reopened.list());
    }

    // ---- ensure: shared fetches ----

    /** Waits until every thread is parked: in the fetcher or waiting for the shared fetch. */
    static void awaitParked(List<Thread> threads) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (threads.stream().allMatch(t -> t.getState() == Thread.State.WAITING
                    || t.getState() == Thread.State.TIMED_WAITING)) {
                return;
            }
            Thread.sleep(5);
        }
        fail("threads did not all block: " + threads.stream().map(Thread::getState).toList());
    }

    @Test
    void concurrentEnsureCallsShareOneFetch() throws Exception {
        BlobStore store = new BlobStore(root);
        byte[] data = content(256 * 1024, 15);
        Digest d = Digest.sha256Of(data);
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        BlobStore.Fetcher fetcher = w -> {
            fetches.incrementAndGet();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            w.write(data);
        };
        int n = 8;
        ConcurrentLinkedQueue<Boolean> results = new ConcurrentLinkedQueue<>();
        ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            threads.add(Thread.ofPlatform().name("ensure-" + i).start(() -> {
                try {
                    results.add(store.ensure(d, data.length, fetcher));
                } catch (Throwable t) {
                    errors.add(t);
                }
            }));
        }
        awaitParked(threads);
        assertEquals(1, fetches.get(), "only one caller fetches while the others wait");
        release.countDown();
        for (Thread t : threads) {
            t.join(20_000);
        }
        assertEquals(List.of(), List.copyOf(errors));
        assertEquals(1, fetches.get());
        assertEquals(n, results.size());
        assertEquals(1, results.stream().filter(b -> b).count(), "exactly one call did the fetching");
        assertArrayEquals(data, store.read(d));
        assertFalse(store.ensure(d, data.length, w -> fail("present blobs are not fetched again")));
    }

    @Test
    void aFailedFetchLetsAWaiterRetry() throws Exception {
        BlobStore store = new BlobStore(root);
        byte[] data = content(10_000, 16);
        Digest d = Digest.sha256Of(data);
        AtomicInteger fetches = new AtomicInteger();
        CountDownLatch firstEntered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        BlobStore.Fetcher failing = w -> {
            fetches.incrementAndGet();
            firstEntered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                throw new IOException(e);
            }
            w.write(data, 0, 100);
            throw new IOException("connection reset by registry");
        };
        BlobStore.Fetcher working = w -> {
            fetches.incrementAndGet();
            w.write(data);
        };
        Throwable[] ownerError = new Throwable[1];
        Boolean[] waiterResult = new Boolean[1];
        Thread owner = Thread.ofPlatform().start(() -> {
            try {
                store.ensure(d, data.length, failing);
            } catch (Throwable t) {
                ownerError[0] = t;
            }
        });
        assertTrue(firstEntered.await(20, TimeUnit.SECONDS));
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                waiterResult[0] = store.ensure(d, data.length, working);
            } catch (Throwable t) {
                waiterResult[0] = null;
                t.printStackTrace();
            }
        });
        awaitParked(List.of(owner, waiter));
        assertEquals(1, fetches.get(), "the waiter waits for the first fetch rather than starting its own");
        release.countDown();
        owner.join(20_000);
        waiter.join(20_000);
        IOException e = assertInstanceOf(IOException.class, ownerError[0]);
        assertEquals("connection reset by registry", e.getMessage(), "the owner's caller sees its own error");
        assertEquals(Boolean.TRUE, waiterResult[0], "the waiter fetched it itself");
        assertEquals(2, fetches.get());
        assertArrayEquals(data, store.read(d));
        assertEquals(List.of(), tmpFiles(root));
    }

    @Test
    void ensureReportsCorruptDownloadsAndStoresNothing() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(1000, 17);
        Digest d = Digest.sha256Of(data);
        BerthException e = assertThrows(BerthException.class,
                () -> store.ensure(d, data.length, w -> w.write(content(1000, 18))));
        assertEquals(ErrorCategory.DATA_LOSS, e.category());
        assertFalse(store.contains(d));
        // Nothing is left in flight: the next call fetches again and succeeds.
        assertTrue(store.ensure(d, data.length, w -> w.write(data)));
        assertTrue(store.contains(d));
    }

    // ---- garbage collection and ingest ----

    @Test
    void garbageCollectKeepsLiveBlobsAndRemovesTheRest() throws IOException {
        BlobStore store = new BlobStore(root);
        Digest live1 = store.put(content(100, 19));
        Digest live2 = store.put(content(200, 20));
        Digest dead1 = store.put(content(300, 21));
        Digest dead2 = store.put(content(400, 22));
        Files.writeString(root.resolve("blobs/sha256/not-a-digest"), "foreign file");
        long reclaimed = store.garbageCollect(Set.of(live1, live2, Digest.sha256Of(new byte[] {1})));
        assertEquals(700, reclaimed);
        assertTrue(store.contains(live1));
        assertTrue(store.contains(live2));
        assertFalse(store.contains(dead1));
        assertFalse(store.contains(dead2));
        assertEquals(Set.of(live1, live2), new HashSet<>(store.list()));
        assertTrue(Files.exists(root.resolve("blobs/sha256/not-a-digest")), "files that are not blobs are left alone");
        assertEquals(0, store.garbageCollect(Set.of(live1, live2)));
    }

    @Test
    void ingestComputesTheDigest() throws IOException {
        BlobStore store = new BlobStore(root);
        byte[] data = content(1_000_000, 23);
        Digest d = store.ingest(new ByteArrayInputStream(data));
        assertEquals(Digest.sha256Of(data), d);
        assertArrayEquals(data, store.read(d));
        assertEquals(d, store.ingest(new ByteArrayInputStream(data)), "ingesting again finds the same blob");
        assertEquals(Digest.sha256Of(new byte[0]), store.ingest(InputStream.nullInputStream()));
        assertEquals(List.of(), tmpFiles(root));
    }

    @Test
    void aFailingIngestLeavesNothing() throws IOException {
        BlobStore store = new BlobStore(root);
        InputStream broken = new InputStream() {
            int n;

            @Override
            public int read() throws IOException {
                if (++n > 5000) {
                    throw new IOException("stream broke");
                }
                return 7;
            }
        };
        IOException e = assertThrows(IOException.class, () -> store.ingest(broken));
        assertEquals("stream broke", e.getMessage());
        assertEquals(List.of(), tmpFiles(root));
        assertEquals(List.of(), store.list());
    }
}
