package dev.berth.registry;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
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
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Push and pull against a real, open registry (Debian's distribution 2.8). */
class PushPullTest {
    static final Platform AMD64 = Platform.of("linux", "amd64", null);
    static LocalRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.requireBusybox();
        registry = LocalRegistry.start(LocalRegistry.Mode.OPEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    static ImageReference pushFixture(RegistryClient client, ImageFixture f, String repo, String tag, Path storeDir,
                                      ProgressListener listener) throws Exception {
        BlobStore src = new BlobStore(storeDir);
        Fixtures.load(src, f);
        ImageReference ref = ImageReference.parse(client.registry() + "/" + repo + ":" + tag);
        Digest pushed = client.push(ref, f.digest(), f.mediaType(), src, null, listener);
        assertEquals(f.digest(), pushed);
        return ref;
    }

    @Test
    void pushThenPullGivesTheSameDigests(@TempDir Path tmp) throws Exception {
        RegistryClient client = registry.client();
        ImageFixture f = TestImages.busybox();
        Fixtures.Events pushEvents = new Fixtures.Events();
        ImageReference ref = pushFixture(client, f, Fixtures.uniqueRepo("pushpull"), "v1", tmp.resolve("src"), pushEvents);
        assertEquals(3, pushEvents.of(ProgressEvent.PushComplete.class).size(), "config and two layers uploaded");
        assertFalse(pushEvents.of(ProgressEvent.Pushing.class).isEmpty());

        BlobStore dst = new BlobStore(tmp.resolve("dst"));
        Fixtures.Events events = new Fixtures.Events();
        ResolvedImage image = client.pull(ref, AMD64, dst, events);
        assertEquals(f.digest(), image.digest());
        assertEquals(f.digest(), image.manifest().digest());
        assertEquals(MediaTypes.DOCKER_MANIFEST, image.manifest().mediaType());
        for (Descriptor d : image.blobs()) {
            assertArrayEquals(f.blobs().get(d.digest()), dst.read(d.digest()));
        }
        assertArrayEquals(f.manifest(), dst.read(f.digest()));
        assertEquals(3, events.of(ProgressEvent.DownloadComplete.class).size());
        assertEquals(3, events.of(ProgressEvent.Waiting.class).size());
        assertFalse(events.of(ProgressEvent.Downloading.class).isEmpty());
        String layerId = image.image().layers().getFirst().digest().shortHex();
        assertTrue(events.all.stream().anyMatch(e -> e.id().equals(layerId) && e.event() instanceof ProgressEvent.Verifying));

        // Pushing again finds every blob present; pulling again finds every blob stored.
        Fixtures.Events again = new Fixtures.Events();
        client.push(ref, f.digest(), f.mediaType(), new BlobStore(tmp.resolve("src")), null, again);
        assertEquals(3, again.of(ProgressEvent.AlreadyExists.class).size());
        Fixtures.Events pullAgain = new Fixtures.Events();
        client.pull(ref, AMD64, dst, pullAgain);
        assertEquals(3, pullAgain.of(ProgressEvent.AlreadyExists.class).size());

        assertEquals(f.digest(), client.headManifest(ref.repository(), "v1").orElseThrow().digest());
        assertTrue(client.headManifest(ref.repository(), "nope").isEmpty());
    }

    @Test
    void pullByDigestAndThroughAnIndexSkippingTheAttestation(@TempDir Path tmp) throws Exception {
        RegistryClient client = registry.client();
        ImageFixture index = TestImages.busyboxIndexWithAttestation(TestImages.Options.defaults().withHello("index\n"));
        ImageReference ref = pushFixture(client, index, Fixtures.uniqueRepo("index"), "multi", tmp.resolve("src"),
                ProgressListener.NONE);

        ResolvedImage resolved = client.resolve(ref, AMD64);
        assertEquals(index.digest(), resolved.digest(), "RepoDigest is the index's");
        assertEquals(index.image().digest(), resolved.manifest().digest());
        assertEquals(MediaTypes.OCI_MANIFEST, resolved.image().mediaType());
        assertArrayEquals(index.manifest(), resolved.index().bytes());
        BlobStore pulled = new BlobStore(tmp.resolve("pulled"));
        client.pull(ref, AMD64, pulled, ProgressListener.NONE);
        assertTrue(pulled.contains(index.digest()) && pulled.contains(index.image().digest()), "both manifests kept");
        assertFalse(pulled.contains(index.children().get(1).digest()), "the attestation is not pulled");

        ResolvedImage byDigest = client.resolve(ref.withDigest(index.image().digest()), AMD64);
        assertEquals(index.image().digest(), byDigest.digest());

        BerthException noPlatform = assertThrows(BerthException.class,
                () -> client.resolve(ref, Platform.of("linux", "s390x", null)));
        assertEquals(ErrorCategory.NOT_FOUND, noPlatform.category());
    }

    @Test
    void missingManifestIsWordedAsDocker() {
        RegistryClient client = registry.client();
        BerthException e = assertThrows(BerthException.class,
                () -> client.resolve(ImageReference.parse(registry.host() + "/x:nope"), AMD64));
        assertEquals(ErrorCategory.NOT_FOUND, e.category());
        assertEquals("manifest for " + registry.host() + "/x:nope not found: manifest unknown: manifest unknown",
                e.getMessage());
    }

    @Test
    void crossRepositoryMountIsUsed(@TempDir Path tmp) throws Exception {
        RegistryClient client = registry.client();
        ImageFixture f = TestImages.busybox(TestImages.Options.defaults().withHello("mount\n"));
        String source = Fixtures.uniqueRepo("mount-src");
        pushFixture(client, f, source, "v1", tmp.resolve("src"), ProgressListener.NONE);

        BlobStore store = new BlobStore(tmp.resolve("src"));
        String target = Fixtures.uniqueRepo("mount-dst");
        List<PushOutcome> outcomes = new ArrayList<>();
        Fixtures.Events events = new Fixtures.Events();
        for (Digest d : f.blobs().keySet()) {
            Descriptor desc = Descriptor.of("application/octet-stream", d, f.blobs().get(d).length);
            outcomes.add(client.pushBlob(target, desc, store, source, events));
        }
        assertEquals(List.of(PushOutcome.MOUNTED, PushOutcome.MOUNTED, PushOutcome.MOUNTED), outcomes);
        assertEquals(source, events.of(ProgressEvent.MountedFrom.class).getFirst().repository());
        assertTrue(events.of(ProgressEvent.Pushing.class).isEmpty(), "a mount sends no bytes");
        client.putManifest(target, "v1", f.manifest(), f.mediaType());
        assertEquals(f.digest(), client.resolve(ImageReference.parse(registry.host() + "/" + target + ":v1"), AMD64).digest());
    }

    @Test
    void largeBlobsGoUpInChunks(@TempDir Path tmp) throws Exception {
        FaultyProxy proxy = new FaultyProxy(registry.host());
        try (proxy) {
            RegistryOptions options = registry.options(proxy.host(), Credential.ANONYMOUS)
                    .withUploadChunking(64 * 1024, 256 * 1024);
            RegistryClient client = RegistryClient.create(proxy.host(), options);
            ImageFixture f = TestImages.busybox(TestImages.Options.defaults().withHello("chunks\n"));
            ImageReference ref = pushFixture(client, f, Fixtures.uniqueRepo("chunked"), "v1", tmp.resolve("src"),
                    ProgressListener.NONE);
            long patches = proxy.requests().stream().filter(r -> r.method().equals("PATCH")).count();
            long bigLayer = f.layers().values().stream().mapToLong(b -> b.length).max().orElseThrow();
            assertTrue(patches >= (bigLayer + 256 * 1024 - 1) / (256 * 1024), "expected chunked PATCHes, saw " + patches);

            BlobStore dst = new BlobStore(tmp.resolve("dst"));
            ResolvedImage image = client.pull(ref, AMD64, dst, ProgressListener.NONE);
            for (Descriptor d : image.blobs()) {
                assertArrayEquals(f.blobs().get(d.digest()), dst.read(d.digest()));
            }
        }
    }

    @Test
    void catalogAndTagsArePaged(@TempDir Path tmp) throws Exception {
        FaultyProxy proxy = new FaultyProxy(registry.host());
        try (proxy) {
            RegistryClient client = RegistryClient.create(proxy.host(), registry.options(proxy.host(), Credential.ANONYMOUS));
            ImageFixture f = TestImages.busybox(TestImages.Options.defaults().withHello("paging\n"));
            String prefix = Fixtures.uniqueRepo("page");
            List<String> repos = List.of(prefix + "/a", prefix + "/b", prefix + "/c", prefix + "/d", prefix + "/e");
            for (String repo : repos) {
                pushFixture(client, f, repo, "t1", tmp.resolve("src"), ProgressListener.NONE);
            }
            for (String tag : List.of("t2", "t3", "t4", "t5")) {
                client.putManifest(repos.getFirst(), tag, f.manifest(), f.mediaType());
            }

            // distribution 2.8 pages the catalog (n, last, Link) but not tag lists, which it always
            // returns whole: follow what the registry does, either way.
            assertEquals(List.of("t1", "t2", "t3", "t4", "t5"), client.tags(repos.getFirst(), 2, null).stream().sorted().toList());

            Page<String> first = client.catalogPage(2, null);
            assertEquals(2, first.items().size());
            assertTrue(first.next().isPresent(), "a full page links to the next");
            int before = proxy.requests().size();
            List<String> catalog = client.catalog(2, null);
            assertTrue(catalog.containsAll(repos), catalog.toString());
            assertEquals(catalog.stream().distinct().toList(), catalog, "no repository twice across pages");
            long pages = proxy.requests().subList(before, proxy.requests().size()).stream()
                    .filter(r -> r.path().equals("/v2/_catalog")).count();
            assertTrue(pages >= (catalog.size() + 1) / 2, catalog.size() + " repositories in " + pages + " pages");
            assertTrue(proxy.requests().stream().anyMatch(r -> r.target().contains("last=")), "Link was followed");

            List<String> afterB = client.catalog(2, prefix + "/b");
            assertTrue(afterB.containsAll(repos.subList(2, 5)) && !afterB.contains(repos.get(0))
                    && !afterB.contains(repos.get(1)), afterB.toString());

            BerthException unknown = assertThrows(BerthException.class, () -> client.tags("no/such-repo", 2, null));
            assertEquals(ErrorCategory.NOT_FOUND, unknown.category());
        }
    }

    @Test
    void consumerReadsTheLayerWhileItDownloads(@TempDir Path tmp) throws Exception {
        RegistryClient client = registry.client();
        ImageFixture f = TestImages.busybox(TestImages.Options.defaults().withHello("stream\n"));
        ImageReference ref = pushFixture(client, f, Fixtures.uniqueRepo("stream"), "v1", tmp.resolve("src"),
                ProgressListener.NONE);
        ResolvedImage image = client.resolve(ref, AMD64);
        Descriptor layer = image.image().layers().getFirst();
        BlobStore dst = new BlobStore(tmp.resolve("dst"));
        ByteArrayOutputStream seen = new ByteArrayOutputStream();
        assertTrue(client.fetchBlob(ref.repository(), layer, dst, ProgressListener.NONE, in -> in.transferTo(seen)));
        assertArrayEquals(f.layers().get(layer.digest()), seen.toByteArray());

        // Already stored: the consumer is fed from the verified file.
        ByteArrayOutputStream again = new ByteArrayOutputStream();
        assertFalse(client.fetchBlob(ref.repository(), layer, dst, ProgressListener.NONE, in -> in.transferTo(again)));
        assertArrayEquals(f.layers().get(layer.digest()), again.toByteArray());
    }

    @Test
    void pullThroughputFromTheLocalRegistry(@TempDir Path tmp) throws Exception {
        RegistryClient client = registry.client();
        String repo = Fixtures.uniqueRepo("throughput");
        byte[] big = new byte[64 * 1024 * 1024];
        new SecureRandom().nextBytes(big);
        BlobStore src = new BlobStore(tmp.resolve("src"));
        Digest d = src.put(big);
        Descriptor desc = Descriptor.of(MediaTypes.OCI_LAYER_GZIP, d, big.length);
        long t0 = System.nanoTime();
        client.pushBlob(repo, desc, src, null, ProgressListener.NONE);
        long t1 = System.nanoTime();
        BlobStore dst = new BlobStore(tmp.resolve("dst"));
        client.fetchBlob(repo, desc, dst, ProgressListener.NONE);
        long t2 = System.nanoTime();
        assertTrue(dst.contains(d));
        double mb = big.length / 1e6;
        System.out.printf("[throughput] 64 MiB blob: push %.0f MB/s, pull (verified, into store) %.0f MB/s%n",
                mb / ((t1 - t0) / 1e9), mb / ((t2 - t1) / 1e9));
    }
}
