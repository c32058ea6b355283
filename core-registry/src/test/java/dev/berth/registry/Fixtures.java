package dev.berth.registry;

import dev.berth.images.Digest;
import dev.berth.images.store.BlobStore;
import dev.berth.images.testing.ImageFixture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Small helpers shared by the registry tests. */
final class Fixtures {
    private static final AtomicInteger COUNTER = new AtomicInteger();

    private Fixtures() {
    }

    /** A repository name no other test uses. */
    static String uniqueRepo(String prefix) {
        return prefix + "-" + ProcessHandle.current().pid() + "-" + COUNTER.incrementAndGet();
    }

    /** Puts every manifest and blob of {@code f} into {@code store}, as a local image store would hold them. */
    static void load(BlobStore store, ImageFixture f) throws IOException {
        store.put(f.manifest());
        for (ImageFixture child : f.children()) {
            load(store, child);
        }
        for (Map.Entry<Digest, byte[]> e : f.blobs().entrySet()) {
            store.put(e.getValue());
        }
    }

    static void requireBusybox() {
        Prerequisites.require(Prerequisites.BUSYBOX);
    }

    /** Collects progress events for assertions. */
    static final class Events implements ProgressListener {
        record Event(String id, ProgressEvent event) {
        }

        final List<Event> all = new CopyOnWriteArrayList<>();

        @Override
        public void onProgress(String id, ProgressEvent event) {
            all.add(new Event(id, event));
        }

        <T extends ProgressEvent> List<T> of(Class<T> type) {
            return all.stream().map(Event::event).filter(type::isInstance).map(type::cast).toList();
        }
    }

    /** Files left in a store's temp directory: must be none after any failure. */
    static long tempFiles(BlobStore store) throws IOException {
        try (var s = Files.list(store.root().resolve("tmp"))) {
            return s.count();
        }
    }

    static Path storeDir(Path base, String name) throws IOException {
        return Files.createDirectories(base.resolve(name));
    }
}
