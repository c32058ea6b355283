package dev.berth.images.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.store.BlobStore;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Our archives against skopeo (containers/image), an independent implementation of both formats. */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class SkopeoInteropTest {
    static Path skopeo;

    @TempDir
    Path work;

    @BeforeAll
    static void findSkopeo() {
        skopeo = Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                .map(dir -> Path.of(dir, "skopeo"))
                .filter(Files::isExecutable)
                .findFirst().orElse(null);
        if (skopeo == null && "true".equals(System.getenv("CI"))) {
            fail("skopeo is required in CI (apt-get install skopeo)");
        }
        assumeTrue(skopeo != null, "skopeo is not installed; skipping interop tests");
    }

    static String run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(skopeo.toString());
        cmd.add("--insecure-policy"); // no /etc/containers/policy.json needed
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out;
        try (InputStream in = p.getInputStream()) {
            out = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(p.waitFor(240, TimeUnit.SECONDS), "skopeo timed out");
        assertEquals(0, p.exitValue(), () -> String.join(" ", cmd) + " failed:\n" + out);
        return out;
    }

    @Test
    void skopeoCopiesOurArchiveToAnOciLayout() throws Exception {
        TestImages img = TestImages.of("first layer", "second layer");
        Path tar = work.resolve("ours.tar");
        try (OutputStream out = Files.newOutputStream(tar)) {
            ImageArchiveWriter.write(List.of(img.save("localhost/berth-test:1")), out);
        }
        Path oci = work.resolve("oci");
        run("copy", "docker-archive:" + tar, "oci:" + oci + ":copied");

        JsonNode index = Json.MAPPER.readTree(oci.resolve("index.json").toFile());
        assertEquals("copied", index.get("manifests").get(0).get("annotations")
                .get("org.opencontainers.image.ref.name").asText());
        Digest manifestDigest = Digest.parse(index.get("manifests").get(0).get("digest").asText());
        JsonNode manifest = Json.MAPPER.readTree(oci.resolve("blobs/sha256/" + manifestDigest.hex()).toFile());
        // skopeo re-encodes the config as an OCI config; what it must keep is the rootfs and the platform.
        Digest configDigest = Digest.parse(manifest.get("config").get("digest").asText());
        JsonNode config = Json.MAPPER.readTree(oci.resolve("blobs/sha256/" + configDigest.hex()).toFile());
        assertEquals(img.diffIds().stream().map(Digest::toString).toList(),
                Json.MAPPER.convertValue(config.get("rootfs").get("diff_ids"), List.class), config.toString());
        assertEquals("amd64", config.get("architecture").asText());
        assertEquals(2, manifest.get("layers").size(), manifest.toString());
        for (int i = 0; i < 2; i++) {
            Digest layer = Digest.parse(manifest.get("layers").get(i).get("digest").asText());
            byte[] blob = Files.readAllBytes(oci.resolve("blobs/sha256/" + layer.hex()));
            try (InputStream in = Compressions.decompressed(new java.io.ByteArrayInputStream(blob))) {
                assertArrayEquals(img.layers().get(i), in.readAllBytes(), "layer " + i + " content survives the copy");
            }
        }

        // And skopeo's own OCI layout, tarred, loads through our reader.
        TarBuilder t = new TarBuilder();
        try (Stream<Path> files = Files.walk(oci)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                t.file(oci.relativize(f).toString(), Files.readAllBytes(f));
            }
        }
        List<LoadedImage> loaded = ImageArchiveReader.read(new java.io.ByteArrayInputStream(t.build()),
                new BlobStore(work.resolve("store")));
        assertEquals(1, loaded.size());
        assertEquals(configDigest, loaded.getFirst().config());
        assertEquals(2, loaded.getFirst().layerBlobs().size());
    }

    @Test
    void ourReaderLoadsSkopeosDockerArchive() throws Exception {
        TestImages img = TestImages.of("base", "app");
        Path ours = work.resolve("ours.tar");
        try (OutputStream out = Files.newOutputStream(ours)) {
            ImageArchiveWriter.write(List.of(img.save("localhost/berth-test:1")), out);
        }
        Path theirs = work.resolve("theirs.tar");
        run("copy", "docker-archive:" + ours, "docker-archive:" + theirs + ":localhost/rewritten:2");

        BlobStore store = new BlobStore(work.resolve("store"));
        List<LoadedImage> loaded;
        try (InputStream in = Files.newInputStream(theirs)) {
            loaded = ImageArchiveReader.read(in, store);
        }
        assertEquals(1, loaded.size());
        assertEquals(img.configDigest(), loaded.getFirst().config());
        assertEquals(img.diffIds(), loaded.getFirst().layerBlobs());
        assertEquals(List.of("localhost/rewritten:2"), loaded.getFirst().repoTags());
    }
}
