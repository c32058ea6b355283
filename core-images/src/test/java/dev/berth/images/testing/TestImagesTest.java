package dev.berth.images.testing;

import dev.berth.images.Digest;
import dev.berth.images.manifest.ImageConfig;
import dev.berth.images.manifest.ImageIndex;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.Manifests;
import dev.berth.images.manifest.Platform;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TestImagesTest {
    @Test
    void fixturesAreReproducibleAndConsistent() {
        assumeTrue(TestImages.busyboxAvailable() || "true".equals(System.getenv("CI")), "busybox-static not installed");
        ImageFixture a = TestImages.busybox();
        ImageFixture b = TestImages.busybox();
        assertEquals(a.digest(), b.digest(), "fixed mtimes must make digests stable");
        assertNotEquals(a.digest(), TestImages.busybox(TestImages.Options.defaults().withHello("other\n")).digest());

        ImageManifest m = (ImageManifest) Manifests.parse(a.manifest(), a.mediaType());
        assertEquals(a.configDigest(), m.config().digest());
        assertEquals(2, m.layers().size());
        m.layers().forEach(l -> assertEquals(l.digest(), Digest.sha256Of(a.layers().get(l.digest()))));
        ImageConfig config = ImageConfig.parse(a.config());
        assertEquals(a.diffIds(), config.diffIds());
        assertEquals(Platform.of("linux", "amd64", null), config.platform());
    }

    @Test
    void indexSkipsAttestationAndLayoutIsWritten(@TempDir Path dir) throws Exception {
        assumeTrue(TestImages.busyboxAvailable() || "true".equals(System.getenv("CI")), "busybox-static not installed");
        ImageFixture index = TestImages.busyboxIndexWithAttestation(TestImages.Options.defaults());
        ImageIndex parsed = (ImageIndex) Manifests.parse(index.manifest(), index.mediaType());
        assertEquals(2, parsed.manifests().size());
        assertEquals(index.image().digest(), parsed.select(Platform.of("linux", "amd64", null)).orElseThrow().digest());

        TestImages.writeOciLayout(index, dir, "v1");
        assertTrue(Files.exists(dir.resolve("index.json")));
        for (Digest d : index.blobs().keySet()) {
            assertTrue(Files.exists(dir.resolve("blobs/sha256/" + d.hex())));
        }
        assertTrue(Files.exists(dir.resolve("blobs/sha256/" + index.children().get(1).digest().hex())));
    }
}
