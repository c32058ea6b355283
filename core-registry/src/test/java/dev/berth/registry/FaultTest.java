package dev.berth.registry;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.ImageReference;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.manifest.Platform;
import dev.berth.images.store.BlobStore;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Misbehaving registries, through {@link FaultyProxy} in front of a real one. */
class FaultTest {
    static final Platform AMD64 = Platform.of("linux", "amd64", null);
    static LocalRegistry registry;
    static ImageFixture fixture;
    static String repo;

    @BeforeAll
    static void start(@TempDir Path tmp) throws Exception {
        Fixtures.requireBusybox();
        registry = LocalRegistry.start(LocalRegistry.Mode.OPEN);
        fixture = TestImages.busybox(TestImages.Options.defaults().withHello("faults\n"));
        repo = Fixtures.uniqueRepo("faults");
        PushPullTest.pushFixture(registry.client(), fixture, repo, "v1", tmp.resolve("src"), ProgressListener.NONE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private static RegistryClient via(FaultyProxy proxy) {
        return RegistryClient.create(proxy.host(), registry.options(proxy.host(), Credential.ANONYMOUS));
    }

    private static ImageReference ref(FaultyProxy proxy) {
        return ImageReference.parse(proxy.host() + "/" + repo + ":v1");
    }

    private static Descriptor bigLayer() {
        return fixture.layers().entrySet().stream().max((a, b) -> Integer.compare(a.getValue().length, b.getValue().length))
                .map(e -> Descriptor.of(MediaTypes.DOCKER_LAYER_GZIP, e.getKey(), e.getValue().length)).orElseThrow();
    }

    @Test
    void rateLimitIsRetriedHonouringRetryAfter(@TempDir Path tmp) throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
            proxy.rateLimit(2, "1", "0;w=21600");
            Fixtures.Events events = new Fixtures.Events();
            Instant t0 = Instant.now();
            ResolvedImage image = via(proxy).pull(ref(proxy), AMD64, new BlobStore(tmp), events);
            Duration took = Duration.between(t0, Instant.now());
            assertEquals(fixture.digest(), image.digest());
            assertTrue(took.compareTo(Duration.ofMillis(1900)) >= 0, "Retry-After: 1, twice, took only " + took);
            assertEquals(2, events.of(ProgressEvent.Retrying.class).size());
            assertTrue(events.of(ProgressEvent.Retrying.class).getFirst().reason().contains("429"));
        }
    }

    @Test
    void persistentRateLimitEndsInAClearError(@TempDir Path tmp) throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
            proxy.rateLimit(-1, "0", "0;w=21600");
            BerthException e = assertThrows(BerthException.class,
                    () -> via(proxy).pull(ref(proxy), AMD64, new BlobStore(tmp), ProgressListener.NONE));
            assertEquals(ErrorCategory.UNAVAILABLE, e.category());
            assertTrue(e.getMessage().contains("rate limit"), e.getMessage());
            assertTrue(e.getMessage().contains("ratelimit-remaining: 0;w=21600"), e.getMessage());
            assertTrue(e.getMessage().startsWith("toomanyrequests: You have reached your pull rate limit."), e.getMessage());
        }
    }

    @Test
    void aConnectionCutMidBlobResumesWithRange(@TempDir Path tmp) throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
            Descriptor layer = bigLayer();
            proxy.dropBlobs(2, 300_000);
            BlobStore store = new BlobStore(tmp);
            Fixtures.Events events = new Fixtures.Events();
            ByteArrayOutputStream consumed = new ByteArrayOutputStream();
            assertTrue(via(proxy).fetchBlob(repo, layer, store, events, in -> in.transferTo(consumed)));
            assertArrayEquals(fixture.layers().get(layer.digest()), store.read(layer.digest()));
            assertArrayEquals(fixture.layers().get(layer.digest()), consumed.toByteArray(),
                    "the consumer saw each byte once despite two retries");
            assertEquals(2, events.of(ProgressEvent.Retrying.class).size());
            // Each retry asks only for what is missing.
            var ranges = proxy.requestsMatching(r -> r.headers().containsKey("range"));
            assertEquals(2, ranges.size());
            assertEquals("bytes=300000-", ranges.getFirst().headers().get("range"));
            assertEquals("bytes=600000-", ranges.get(1).headers().get("range"));
        }
    }

    @Test
    void aServerIgnoringRangeIsHandledBySkipping(@TempDir Path tmp) throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
            Descriptor layer = bigLayer();
            proxy.ignoreRange = true;
            proxy.dropBlobs(1, 250_000);
            BlobStore store = new BlobStore(tmp);
            ByteArrayOutputStream consumed = new ByteArrayOutputStream();
            via(proxy).fetchBlob(repo, layer, store, ProgressListener.NONE, in -> in.transferTo(consumed));
            assertArrayEquals(fixture.layers().get(layer.digest()), store.read(layer.digest()));
            assertArrayEquals(fixture.layers().get(layer.digest()), consumed.toByteArray());
        }
    }

    @Test
    void anAlteredBlobFailsWithDataLossAndStoresNothing(@TempDir Path tmp) throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
            proxy.corruptBlobs = true;
            Descriptor layer = bigLayer();
            BlobStore store = new BlobStore(tmp);
            AtomicReference<Throwable> consumerSaw = new AtomicReference<>();
            BerthException e = assertThrows(BerthException.class, () -> via(proxy).fetchBlob(repo, layer, store,
                    ProgressListener.NONE, in -> {
                        try {
                            in.transferTo(OutputStreamSink.INSTANCE);
                        } catch (IOException io) {
                            consumerSaw.set(io);
                        }
                    }));
            assertEquals(ErrorCategory.DATA_LOSS, e.category());
            assertTrue(e.getMessage().startsWith("digest mismatch"), e.getMessage());
            assertFalse(store.contains(layer.digest()));
            assertEquals(0, Fixtures.tempFiles(store));
            assertInstanceOf(IOException.class, consumerSaw.get(), "the consumer must not see a clean EOF");
            assertInstanceOf(BerthException.class, consumerSaw.get().getCause());
        }
    }

    @Test
    void aTruncatedBlobFailsWithDataLossAndStoresNothing(@TempDir Path tmp) throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
            proxy.truncateBlobs = true;
            BlobStore store = new BlobStore(tmp);
            BerthException e = assertThrows(BerthException.class,
                    () -> via(proxy).pull(ref(proxy), AMD64, store, ProgressListener.NONE));
            assertEquals(ErrorCategory.DATA_LOSS, e.category());
            assertTrue(e.getMessage().contains("truncated"), e.getMessage());
            assertTrue(store.list().stream().allMatch(d -> d.equals(fixture.digest())), "only the manifest is stored");
            assertEquals(0, Fixtures.tempFiles(store));
        }
    }

    @Test
    void registryKilledMidPullRetriesThenFailsUnavailableLeavingNoHalfBlob(@TempDir Path tmp) throws Exception {
        // A registry of its own: this one is killed.
        try (LocalRegistry doomed = LocalRegistry.start(LocalRegistry.Mode.OPEN);
             FaultyProxy proxy = new FaultyProxy(doomed.host())) {
            String r = Fixtures.uniqueRepo("killed");
            PushPullTest.pushFixture(doomed.client(), fixture, r, "v1", tmp.resolve("src"), ProgressListener.NONE);
            proxy.killDuringBlob(200_000, doomed::kill);
            RegistryClient client = RegistryClient.create(proxy.host(),
                    doomed.options(proxy.host(), Credential.ANONYMOUS).withParallelism(1));
            BlobStore store = new BlobStore(tmp.resolve("dst"));
            Fixtures.Events events = new Fixtures.Events();
            BerthException e = assertThrows(BerthException.class, () -> client.pull(
                    ImageReference.parse(proxy.host() + "/" + r + ":v1"), AMD64, store, events));
            assertEquals(ErrorCategory.UNAVAILABLE, e.category());
            assertTrue(e.getMessage().startsWith("failed to fetch blob sha256:"), e.getMessage());
            assertFalse(events.of(ProgressEvent.Retrying.class).isEmpty(), "it retried before giving up");
            assertTrue(store.list().stream().allMatch(d -> d.equals(fixture.digest()) || fixture.configDigest().equals(d)),
                    "no layer stored: " + store.list());
            assertEquals(0, Fixtures.tempFiles(store), "no half blob left behind");
        }
    }

    @Test
    void malformedManifestJsonIsInvalidArgument(@TempDir Path tmp) throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
            proxy.replacementContentType = MediaTypes.DOCKER_MANIFEST;
            proxy.replacementManifest = "{\"schemaVersion\": 2, \"layers\": [".getBytes(StandardCharsets.UTF_8);
            BerthException e = assertThrows(BerthException.class, () -> via(proxy).resolve(ref(proxy), AMD64));
            assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
            assertTrue(e.getMessage().startsWith("manifest invalid"), e.getMessage());
        }
    }

    @Test
    void unknownContentTypeIsToleratedWhenTheShapeIsAManifest() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
            // Some registries send application/json or octet-stream: judge by the document itself.
            proxy.replacementContentType = "application/octet-stream";
            proxy.replacementManifest = fixture.manifest();
            ResolvedImage image = via(proxy).resolve(ref(proxy), AMD64);
            assertEquals(fixture.digest(), image.digest());
            assertEquals(2, image.image().layers().size());

            proxy.replacementContentType = "application/vnd.example.thing.v1+json";
            proxy.replacementManifest = "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.example.thing.v1+json\",\"blobs\":[]}"
                    .getBytes(StandardCharsets.UTF_8);
            BerthException e = assertThrows(BerthException.class, () -> via(proxy).resolve(ref(proxy), AMD64));
            assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
            assertNotNull(e.getMessage());
            assertTrue(e.getMessage().contains("application/vnd.example.thing.v1+json"), e.getMessage());
        }
    }

    @Test
    void manifestNotMatchingItsDigestIsDataLoss() throws Exception {
        try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
            proxy.replacementContentType = MediaTypes.DOCKER_MANIFEST;
            proxy.replacementManifest = TestImages.busybox(TestImages.Options.defaults().withHello("other\n")).manifest();
            BerthException e = assertThrows(BerthException.class,
                    () -> via(proxy).getManifest(repo, fixture.digest().toString()));
            assertEquals(ErrorCategory.DATA_LOSS, e.category());
        }
    }

    /** Discards bytes. */
    static final class OutputStreamSink extends java.io.OutputStream {
        static final OutputStreamSink INSTANCE = new OutputStreamSink();

        @Override
        public void write(int b) {
        }

        @Override
        public void write(byte[] b, int off, int len) {
        }
    }
}
