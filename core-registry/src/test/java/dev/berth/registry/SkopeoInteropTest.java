package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.Platform;
import dev.berth.images.store.BlobStore;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What Berth pushes, skopeo (containers/image) can pull; what skopeo pushes, Berth can pull. */
class SkopeoInteropTest {
    static final Platform AMD64 = Platform.of("linux", "amd64", null);
    static LocalRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        Fixtures.requireBusybox();
        Prerequisites.require(Prerequisites.SKOPEO);
        registry = LocalRegistry.start(LocalRegistry.Mode.OPEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
    }

    private static void skopeo(Path workDir, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(Prerequisites.SKOPEO.toString(), "--insecure-policy"));
        cmd.addAll(List.of(args));
        Path log = workDir.resolve("skopeo.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile())
                .directory(workDir.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("skopeo timed out: " + String.join(" ", cmd));
        }
        assertEquals(0, p.exitValue(), "skopeo " + String.join(" ", args) + ":\n" + Files.readString(log));
    }

    @Test
    void skopeoCopiesWhatBerthPushed(@TempDir Path tmp) throws Exception {
        RegistryClient client = registry.client();
        ImageFixture oci = TestImages.busybox(TestImages.Options.defaults().withHello("to skopeo\n").asOci());
        ImageFixture docker = TestImages.busybox(TestImages.Options.defaults().withHello("to skopeo, docker\n"));
        String repo = Fixtures.uniqueRepo("to-skopeo");
        PushPullTest.pushFixture(client, oci, repo, "oci", tmp.resolve("src"), ProgressListener.NONE);
        PushPullTest.pushFixture(client, docker, repo, "docker", tmp.resolve("src"), ProgressListener.NONE);

        Path ociDir = tmp.resolve("oci-out");
        skopeo(tmp, "copy", "--src-tls-verify=false", "docker://" + registry.host() + "/" + repo + ":oci", "oci:" + ociDir + ":oci");
        JsonNode index = Json.MAPPER.readTree(Files.readAllBytes(ociDir.resolve("index.json")));
        assertEquals(oci.digest().toString(), index.get("manifests").get(0).get("digest").asText(),
                "an OCI image is copied byte for byte");

        Path ociDir2 = tmp.resolve("oci-out-docker");
        skopeo(tmp, "copy", "--src-tls-verify=false", "docker://" + registry.host() + "/" + repo + ":docker", "oci:" + ociDir2 + ":d");
        // skopeo converts a Docker manifest to OCI for an OCI layout and re-serialises the config, but
        // the layers are copied byte for byte and the config still names the same diff_ids.
        for (Digest d : docker.layers().keySet()) {
            assertArrayEquals(docker.layers().get(d), Files.readAllBytes(ociDir2.resolve("blobs/sha256/" + d.hex())));
        }
        String manifestDigest = Json.MAPPER.readTree(Files.readAllBytes(ociDir2.resolve("index.json")))
                .get("manifests").get(0).get("digest").asText();
        JsonNode manifest = Json.MAPPER.readTree(Files.readAllBytes(
                ociDir2.resolve("blobs/sha256/" + Digest.parse(manifestDigest).hex())));
        JsonNode config = Json.MAPPER.readTree(Files.readAllBytes(ociDir2.resolve("blobs/sha256/"
                + Digest.parse(manifest.at("/config/digest").asText()).hex())));
        List<String> diffIds = new ArrayList<>();
        config.at("/rootfs/diff_ids").forEach(n -> diffIds.add(n.asText()));
        assertEquals(docker.diffIds().stream().map(Digest::toString).toList(), diffIds);
    }

    @Test
    void berthPullsWhatSkopeoPushed(@TempDir Path tmp) throws Exception {
        ImageFixture index = TestImages.busyboxIndexWithAttestation(TestImages.Options.defaults().withHello("from skopeo\n"));
        Path layout = tmp.resolve("layout");
        TestImages.writeOciLayout(index, layout, "v1");
        String repo = Fixtures.uniqueRepo("from-skopeo");
        skopeo(tmp, "copy", "--all", "--dest-tls-verify=false", "oci:" + layout + ":v1",
                "docker://" + registry.host() + "/" + repo + ":v1");

        RegistryClient client = registry.client();
        BlobStore store = new BlobStore(tmp.resolve("store"));
        ResolvedImage image = client.pull(ImageReference.parse(registry.host() + "/" + repo + ":v1"), AMD64, store,
                ProgressListener.NONE);
        assertEquals(index.digest(), image.digest(), "skopeo --all keeps the index as is");
        assertEquals(index.image().digest(), image.manifest().digest());
        for (Descriptor d : image.blobs()) {
            assertArrayEquals(index.blobs().get(d.digest()), store.read(d.digest()));
        }
        assertTrue(new String(store.read(image.image().config().digest()), StandardCharsets.UTF_8).contains("\"sh\""));
    }
}
