package dev.berth.images.archive;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.Manifests;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.store.BlobStore;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** ImageArchiveWriter's output: its layout, and that ImageArchiveReader reads it back whole. */
class ImageArchiveWriterTest {
    @TempDir
    java.nio.file.Path root;

    static byte[] write(ImageArchiveWriter.SaveImage... images) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageArchiveWriter.write(List.of(images), out);
        return out.toByteArray();
    }

    /** Regular files of a tar by name, in archive order. */
    static Map<String, byte[]> entries(byte[] tar) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (TarArchiveInputStream in = new TarArchiveInputStream(new ByteArrayInputStream(tar))) {
            TarArchiveEntry e;
            while ((e = in.getNextEntry()) != null) {
                if (e.isFile()) {
                    assertFalse(out.containsKey(e.getName()), "duplicate entry " + e.getName());
                    out.put(e.getName(), in.readAllBytes());
                }
            }
        }
        return out;
    }

    static String blob(Digest d) {
        return "blobs/sha256/" + d.hex();
    }

    @Test
    void roundTripKeepsTagsConfigAndLayers() throws IOException {
        TestImages img = TestImages.of("one", "two");
        byte[] tar = write(img.save("busybox:latest", "localhost:5000/tools/busybox:1.36"));

        BlobStore store = new BlobStore(root);
        List<LoadedImage> loaded = ImageArchiveReader.read(new ByteArrayInputStream(tar), store);
        assertEquals(1, loaded.size());
        LoadedImage li = loaded.getFirst();
        assertEquals(img.configDigest(), li.config());
        assertEquals(img.diffIds(), li.layerBlobs());
        assertEquals(List.of("busybox:latest", "localhost:5000/tools/busybox:1.36"), li.repoTags());
        assertArrayEquals(img.config(), store.read(li.config()));
        for (int i = 0; i < img.layers().size(); i++) {
            assertArrayEquals(img.layers().get(i), store.read(li.layerBlobs().get(i)));
        }
    }

    @Test
    void twoImagesSharingALayerWriteItOnce() throws IOException {
        TestImages a = TestImages.of("base", "a");
        TestImages b = TestImages.of("base", "b");
        assertEquals(a.diffIds().getFirst(), b.diffIds().getFirst());
        byte[] tar = write(a.save("app-a:1"), b.save("app-b:1"), TestImages.of("c").save());
        Map<String, byte[]> files = entries(tar);
        assertTrue(files.containsKey(blob(a.diffIds().getFirst())));

        List<LoadedImage> loaded = ImageArchiveReader.read(new ByteArrayInputStream(tar), new BlobStore(root));
        assertEquals(3, loaded.size());
        assertEquals(a.diffIds(), loaded.get(0).layerBlobs());
        assertEquals(b.diffIds(), loaded.get(1).layerBlobs());
        assertEquals(List.of("app-a:1"), loaded.get(0).repoTags());
        assertEquals(List.of("app-b:1"), loaded.get(1).repoTags());
        assertEquals(List.of(), loaded.get(2).repoTags(), "an untagged image loads untagged");
    }

    @Test
    void layoutIsDocker25s() throws IOException {
        TestImages img = TestImages.of("x", "y");
        byte[] tar = write(img.save("busybox"));
        Map<String, byte[]> files = entries(tar);

        assertEquals("{\"imageLayoutVersion\":\"1.0.0\"}", new String(files.get("oci-layout")));
        JsonNode manifestJson = Json.MAPPER.readTree(files.get("manifest.json"));
        assertEquals(1, manifestJson.size());
        JsonNode m = manifestJson.get(0);
        assertEquals(blob(img.configDigest()), m.get("Config").asText());
        assertEquals("busybox:latest", m.get("RepoTags").get(0).asText(), "RepoTags are familiar and tagged");
        assertEquals(blob(img.diffIds().get(0)), m.get("Layers").get(0).asText());
        assertEquals(blob(img.diffIds().get(1)), m.get("Layers").get(1).asText());

        JsonNode index = Json.MAPPER.readTree(files.get("index.json"));
        assertEquals(MediaTypes.OCI_INDEX, index.get("mediaType").asText());
        JsonNode entry = index.get("manifests").get(0);
        assertEquals("docker.io/library/busybox:latest", entry.get("annotations").get("io.containerd.image.name").asText());
        assertEquals("latest", entry.get("annotations").get("org.opencontainers.image.ref.name").asText());
        Digest manifestDigest = Digest.parse(entry.get("digest").asText());
        byte[] manifestBytes = files.get(blob(manifestDigest));
        assertEquals(manifestDigest, Digest.sha256Of(manifestBytes));
        assertEquals(manifestBytes.length, entry.get("size").asLong());

        ImageManifest manifest = (ImageManifest) Manifests.parse(manifestBytes, null);
        assertEquals(MediaTypes.OCI_MANIFEST, manifest.mediaType());
        assertEquals(img.configDigest(), manifest.config().digest());
        assertEquals(img.config().length, manifest.config().size());
        assertEquals(img.diffIds(), manifest.layers().stream().map(d -> d.digest()).toList());
        assertEquals(MediaTypes.OCI_LAYER, manifest.layers().getFirst().mediaType());

        JsonNode repositories = Json.MAPPER.readTree(files.get("repositories"));
        assertEquals(img.diffIds().get(1).hex(), repositories.get("busybox").get("latest").asText());

        // Every blob is named by its content's digest.
        for (var e : files.entrySet()) {
            if (e.getKey().startsWith("blobs/sha256/")) {
                assertEquals(e.getKey().substring(13), Digest.sha256Of(e.getValue()).hex(), e.getKey());
            }
        }
    }

    @Test
    void outputIsDeterministic() throws IOException {
        TestImages img = TestImages.of("same");
        assertArrayEquals(write(img.save("a:1")), write(img.save("a:1")));
    }

    @Test
    void theOciIndexAloneLoadsWithFullNames() throws IOException {
        TestImages img = TestImages.of("p", "q");
        byte[] tar = write(img.save("busybox:latest", "example.com/b:2"));
        // Drop manifest.json and repositories: what is left is a plain OCI layout tar.
        TarBuilder oci = new TarBuilder();
        for (var e : entries(tar).entrySet()) {
            if (!Set.of("manifest.json", "repositories").contains(e.getKey())) {
                oci.file(e.getKey(), e.getValue());
            }
        }
        List<LoadedImage> loaded = ImageArchiveReader.read(new ByteArrayInputStream(oci.build()), new BlobStore(root));
        assertEquals(1, loaded.size(), "two index entries for one manifest are one image");
        assertEquals(img.configDigest(), loaded.getFirst().config());
        assertEquals(img.diffIds(), loaded.getFirst().layerBlobs());
        assertEquals(List.of("docker.io/library/busybox:latest", "example.com/b:2"), loaded.getFirst().repoTags());
    }

    @Test
    void aLayerSourceOfTheWrongSizeFailsTheWrite() {
        TestImages img = TestImages.of("abc");
        byte[] layer = img.layers().getFirst();
        var bad = new ImageArchiveWriter.SaveImage(img.configDigest(), img.config(), List.of(
                new ImageArchiveWriter.SaveLayer(img.diffIds().getFirst(), layer.length + 10,
                        () -> new ByteArrayInputStream(layer))), List.of("x:1"));
        IOException e = assertThrows(IOException.class, () -> write(bad));
        assertTrue(e.getMessage().contains(img.diffIds().getFirst().toString()), e.getMessage());
    }

    @Test
    void eachLayerSourceIsOpenedOncePerArchive() throws IOException {
        TestImages img = TestImages.of("shared");
        byte[] layer = img.layers().getFirst();
        List<String> opened = new ArrayList<>();
        var layerOf = new ImageArchiveWriter.SaveLayer(img.diffIds().getFirst(), layer.length, () -> {
            opened.add("open");
            return new ByteArrayInputStream(layer);
        });
        var image = new ImageArchiveWriter.SaveImage(img.configDigest(), img.config(), List.of(layerOf), List.of("a:1"));
        var same = new ImageArchiveWriter.SaveImage(img.configDigest(), img.config(), List.of(layerOf), List.of("b:1"));
        write(image, same);
        assertEquals(1, opened.size());
    }
}
