package dev.berth.images.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageIndex;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.manifest.Platform;
import dev.berth.images.store.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static dev.berth.images.BerthAssertions.assertFails;
import static dev.berth.images.BerthAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Reading archives other tools write, and archives written to do harm or damaged on the way. */
class ImageArchiveReaderTest {
    @TempDir
    Path work;

    Path root;
    BlobStore store;

    @org.junit.jupiter.api.BeforeEach
    void openStore() throws IOException {
        root = work.resolve("store");
        store = new BlobStore(root);
    }

    List<LoadedImage> read(byte[] tar) throws IOException {
        return ImageArchiveReader.read(new ByteArrayInputStream(tar), store);
    }

    static String json(Object o) {
        try {
            return Json.MAPPER.writeValueAsString(o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String randomId(long seed) {
        byte[] b = new byte[32];
        new Random(seed).nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    // ---- classic docker save (Docker < 25) ----

    /** docker save's classic layout; a repeated layer is a symlink to the first copy, as docker writes it. */
    static byte[] classicArchive(TestImages img, boolean hardlinkDuplicate) {
        String id1 = randomId(1);
        String id2 = randomId(2);
        String id3 = randomId(3);
        String configName = img.configDigest().hex() + ".json";
        TarBuilder t = new TarBuilder()
                .dir(id1).file(id1 + "/VERSION", "1.0").file(id1 + "/json", "{\"id\":\"" + id1 + "\"}")
                .file(id1 + "/layer.tar", img.layers().get(0))
                .dir(id2).file(id2 + "/VERSION", "1.0").file(id2 + "/json", "{\"id\":\"" + id2 + "\"}");
        if (hardlinkDuplicate) {
            t.hardlink(id2 + "/layer.tar", id1 + "/layer.tar");
        } else {
            t.symlink(id2 + "/layer.tar", "../" + id1 + "/layer.tar");
        }
        t.dir(id3).file(id3 + "/VERSION", "1.0").file(id3 + "/json", "{}").file(id3 + "/layer.tar", img.layers().get(2));
        t.file(configName, img.config());
        t.file("manifest.json", json(List.of(Map.of(
                "Config", configName,
                "RepoTags", List.of("busybox:latest", "registry.example.com/tools/busybox:1.36"),
                "Layers", List.of(id1 + "/layer.tar", id2 + "/layer.tar", id3 + "/layer.tar")))));
        t.file("repositories", json(Map.of("busybox", Map.of("latest", id3))));
        return t.build();
    }

    /** An image whose first two layers are the same tar, as happens with repeated RUN no-ops. */
    static TestImages imageWithRepeatedLayer() {
        TestImages img = TestImages.of("same", "same", "top");
        assertEquals(img.diffIds().get(0), img.diffIds().get(1));
        return img;
    }

    @Test
    void readsClassicDockerSaveWithASymlinkedDuplicateLayer() throws IOException {
        TestImages img = imageWithRepeatedLayer();
        List<LoadedImage> loaded = read(classicArchive(img, false));
        assertEquals(1, loaded.size());
        LoadedImage li = loaded.getFirst();
        assertEquals(img.configDigest(), li.config());
        assertEquals(img.diffIds(), li.layerBlobs());
        assertEquals(List.of("busybox:latest", "registry.example.com/tools/busybox:1.36"), li.repoTags());
        assertArrayEquals(img.config(), store.read(li.config()));
        assertArrayEquals(img.layers().get(0), store.read(li.layerBlobs().get(1)));
        assertArrayEquals(img.layers().get(2), store.read(li.layerBlobs().get(2)));
    }

    @Test
    void readsClassicDockerSaveWithAHardlinkedDuplicateLayer() throws IOException {
        TestImages img = imageWithRepeatedLayer();
        LoadedImage li = read(classicArchive(img, true)).getFirst();
        assertEquals(img.diffIds(), li.layerBlobs());
    }

    @Test
    void readsACompressedArchiveAsDockerLoadDoes() throws IOException {
        // `docker save busybox | gzip > busybox.tar.gz; docker load -i busybox.tar.gz` works in Docker.
        TestImages img = imageWithRepeatedLayer();
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(classicArchive(img, false));
        }
        assertEquals(img.diffIds(), read(gz.toByteArray()).getFirst().layerBlobs());
    }

    @Test
    void aDamagedCompressedArchiveIsInvalid() throws IOException {
        assertInvalid(() -> read(new byte[] {0x1f, (byte) 0x8b}), "corrupt");
        // A valid gzip header over data that does not inflate: the compression is what is broken.
        assertInvalid(() -> read(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 1, 2, 3, 4, 5}),
                "compressed but corrupt");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(classicArchive(imageWithRepeatedLayer(), false));
        }
        byte[] cut = Arrays.copyOf(gz.toByteArray(), gz.size() / 2);
        assertInvalid(() -> read(cut), "truncated or corrupt");
    }

    // ---- plain OCI layouts ----

    record Oci(byte[] manifest, Digest manifestDigest, byte[] layer, Digest layerDigest, TestImages img) {
    }

    /** An OCI image with a gzip layer, as skopeo copy --format oci writes it. */
    static Oci ociImage(Platform platform, String content) throws IOException {
        TestImages img = TestImages.of(platform, content);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(img.layers().getFirst());
        }
        byte[] layer = gz.toByteArray();
        Digest layerDigest = Digest.sha256Of(layer);
        byte[] manifest = Json.MAPPER.writeValueAsBytes(ImageManifest.oci(
                Descriptor.of(MediaTypes.OCI_CONFIG, img.configDigest(), img.config().length),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, layerDigest, layer.length))));
        return new Oci(manifest, Digest.sha256Of(manifest), layer, layerDigest, img);
    }

    static TarBuilder withBlobs(TarBuilder t, Oci o) {
        return t.file("blobs/sha256/" + o.manifestDigest().hex(), o.manifest())
                .file("blobs/sha256/" + o.img().configDigest().hex(), o.img().config())
                .file("blobs/sha256/" + o.layerDigest().hex(), o.layer());
    }

    static ObjectNode indexEntry(String mediaType, Digest d, long size, Map<String, String> annotations) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("mediaType", mediaType);
        n.put("digest", d.toString());
        n.put("size", size);
        if (annotations != null) {
            annotations.forEach(n.putObject("annotations")::put);
        }
        return n;
    }

    static byte[] index(ObjectNode... entries) {
        ObjectNode idx = Json.MAPPER.createObjectNode();
        idx.put("schemaVersion", 2);
        ArrayNode m = idx.putArray("manifests");
        Arrays.stream(entries).forEach(m::add);
        return json(idx).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void readsAPureOciLayoutWithIndexJsonOnly() throws IOException {
        Oci o = ociImage(Platform.host(), "oci");
        byte[] tar = withBlobs(new TarBuilder().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}"), o)
                .file("index.json", index(indexEntry(MediaTypes.OCI_MANIFEST, o.manifestDigest(), o.manifest().length,
                        Map.of("org.opencontainers.image.ref.name", "1.0"))))
                .build();
        List<LoadedImage> loaded = read(tar);
        assertEquals(1, loaded.size());
        assertEquals(o.img().configDigest(), loaded.getFirst().config());
        assertEquals(List.of(o.layerDigest()), loaded.getFirst().layerBlobs(), "layers are the blobs as stored");
        assertEquals(List.of(), loaded.getFirst().repoTags(), "a bare ref.name is not a repository name");
        assertArrayEquals(o.layer(), store.read(o.layerDigest()));
    }

    @Test
    void readsAMultiPlatformOciLayoutChoosingTheHostAndSkippingAttestations() throws IOException {
        Oci host = ociImage(Platform.host(), "host");
        Oci other = ociImage(Platform.of("plan9", "mips", null), "other");
        Descriptor hostEntry = Descriptor.of(MediaTypes.OCI_MANIFEST, host.manifestDigest(), host.manifest().length)
                .withPlatform(Platform.host());
        Descriptor otherEntry = Descriptor.of(MediaTypes.OCI_MANIFEST, other.manifestDigest(), other.manifest().length)
                .withPlatform(Platform.of("plan9", "mips", null));
        // An attestation claiming the host platform, listed first: it must not be chosen.
        Descriptor attestation = new Descriptor(MediaTypes.OCI_MANIFEST, other.manifestDigest(), other.manifest().length,
                null, Map.of("vnd.docker.reference.type", "attestation-manifest"), Platform.host(), null);
        byte[] nested = Json.MAPPER.writeValueAsBytes(new ImageIndex(2, MediaTypes.OCI_INDEX,
                List.of(attestation, otherEntry, hostEntry), null));
        Digest nestedDigest = Digest.sha256Of(nested);
        TarBuilder t = new TarBuilder().file("oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
        withBlobs(withBlobs(t, host), other).file("blobs/sha256/" + nestedDigest.hex(), nested);
        t.file("index.json", index(indexEntry(MediaTypes.OCI_INDEX, nestedDigest, nested.length,
                Map.of("io.containerd.image.name", "docker.io/library/multi:latest"))));
        List<LoadedImage> loaded = read(t.build());
        assertEquals(1, loaded.size());
        assertEquals(host.img().configDigest(), loaded.getFirst().config());
        assertEquals(List.of(host.layerDigest()), loaded.getFirst().layerBlobs());
        assertEquals(List.of("docker.io/library/multi:latest"), loaded.getFirst().repoTags());
    }

    @Test
    void aMultiPlatformLayoutWithoutTheHostIsNotFound() throws IOException {
        Oci other = ociImage(Platform.of("plan9", "mips", null), "other");
        byte[] nested = Json.MAPPER.writeValueAsBytes(new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(
                Descriptor.of(MediaTypes.OCI_MANIFEST, other.manifestDigest(), other.manifest().length)
                        .withPlatform(Platform.of("plan9", "mips", null))), null));
        Digest nestedDigest = Digest.sha256Of(nested);
        TarBuilder t = withBlobs(new TarBuilder(), other).file("blobs/sha256/" + nestedDigest.hex(), nested);
        t.file("index.json", index(indexEntry(MediaTypes.OCI_INDEX, nestedDigest, nested.length, null)));
        assertFails(ErrorCategory.NOT_FOUND, () -> read(t.build()),
                "no matching manifest for " + Platform.host() + " in the manifest list entries");
    }

    // ---- hostile entry names ----

    @Test
    void hostileEntryNamesWriteNothingOutsideTheStore() throws IOException {
        String tag = UUID.randomUUID().toString();
        Path absolute = work.resolve("abs-" + tag).resolve("owned");
        TestImages img = TestImages.of("ok");
        byte[] tar = new TarBuilder()
                .file("../../escape-" + tag, "climbing out")
                .file("../escape-" + tag + "/x", "climbing out")
                .file("./../../../../escape-" + tag, "climbing out")
                .file(absolute.toString(), "absolute path")
                .file("/tmp/abs-" + tag, "absolute path")
                .symlink("evil-" + tag, work.toString())
                .file("evil-" + tag + "/through-symlink", "through a symlink")
                .symlink("up-" + tag, "../../../../../../..")
                .file("up-" + tag + "/tmp/up-" + tag, "through a relative symlink")
                .hardlink("hard-" + tag, "/etc/passwd")
                .file("layer.tar", img.layers().getFirst())
                .file("config.json", img.config())
                .file("manifest.json", json(List.of(Map.of("Config", "config.json", "RepoTags", List.of("x:1"),
                        "Layers", List.of("layer.tar")))))
                .build();
        List<LoadedImage> loaded = read(tar);
        assertEquals(img.configDigest(), loaded.getFirst().config());

        assertFalse(Files.exists(absolute), "absolute entry was written: " + absolute);
        assertFalse(Files.exists(absolute.getParent()));
        assertFalse(Files.exists(Path.of("/tmp/abs-" + tag)));
        assertFalse(Files.exists(Path.of("/tmp/up-" + tag)));
        assertFalse(Files.exists(work.resolve("through-symlink")));
        for (Path base : new Path[] {root, work, work.getParent(), Path.of("").toAbsolutePath(), Path.of("/")}) {
            for (Path p = base; p != null; p = p.getParent()) {
                assertFalse(Files.exists(p.resolve("escape-" + tag)), "escaped to " + p);
            }
        }
        // The store holds only blobs named by their content, and nothing is left staged.
        try (Stream<Path> s = Files.list(root)) {
            assertEquals(List.of("blobs", "tmp"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).toList()) {
                assertEquals(root.resolve("blobs/sha256"), p.getParent(), p.toString());
                assertEquals(p.getFileName().toString(), Digest.sha256Of(Files.readAllBytes(p)).hex(), p.toString());
                assertFalse(Files.isSymbolicLink(p));
            }
        }
        try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
            assertEquals(0, s.count());
        }
    }

    @Test
    void aManifestNamingAPathOutsideTheArchiveFindsNothing() {
        TestImages img = TestImages.of("ok");
        byte[] tar = new TarBuilder()
                .file("config.json", img.config())
                .file("manifest.json", json(List.of(Map.of("Config", "config.json",
                        "Layers", List.of("/etc/passwd")))))
                .build();
        assertInvalid(() -> read(tar), "the archive names layer /etc/passwd but does not contain it");
    }

    @Test
    void aManifestNamingAnImpossiblePathIsInvalidNotACrash() {
        TestImages img = TestImages.of("ok");
        byte[] tar = new TarBuilder()
                .file("config.json", img.config())
                .file("layer.tar", img.layers().getFirst())
                .file("manifest.json", json(List.of(Map.of("Config", "config.json", "Layers", List.of("layer\u0000.tar")))))
                .build();
        assertInvalid(() -> read(tar), "does not contain it");
        byte[] badConfig = new TarBuilder()
                .file("manifest.json", json(List.of(Map.of("Config", "\u0000", "Layers", List.of()))))
                .build();
        assertInvalid(() -> read(badConfig), "does not contain it");
    }

    @Test
    void symlinkLoopsAreMissingFilesNotHangs() {
        TestImages img = TestImages.of("ok");
        byte[] tar = new TarBuilder()
                .symlink("a/layer.tar", "../b/layer.tar")
                .symlink("b/layer.tar", "../a/layer.tar")
                .file("config.json", img.config())
                .file("manifest.json", json(List.of(Map.of("Config", "config.json", "Layers", List.of("a/layer.tar")))))
                .build();
        assertInvalid(() -> read(tar), "a/layer.tar", "does not contain it");
    }

    // ---- corrupt archives ----

    byte[] goodArchive() throws IOException {
        TestImages img = TestImages.of("a".repeat(20_000), "b".repeat(20_000));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageArchiveWriter.write(List.of(img.save("busybox:latest")), out);
        return out.toByteArray();
    }

    @Test
    void aTruncatedArchiveIsInvalid() throws IOException {
        byte[] good = goodArchive();
        assertEquals(1, read(good).size());
        // Cut inside the first layer's data.
        byte[] cut = Arrays.copyOf(good, 512 * 3 + 7000);
        assertInvalid(() -> read(cut), "truncated or corrupt");
        // Cut on an entry boundary (after the two directory entries): the tar just ends, manifest.json never comes.
        byte[] early = Arrays.copyOf(good, 512 * 2);
        assertInvalid(() -> read(early), "no manifest.json or index.json");
        try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
            assertEquals(0, s.count(), "a failed load leaves nothing staged");
        }
    }

    @Test
    void aFileThatIsNotATarIsInvalid() {
        byte[] random = new byte[8192];
        new Random(5).nextBytes(random);
        assertInvalid(() -> read(random), "not a tar archive");
        assertInvalid(() -> read("hello, I am a text file\n".getBytes(StandardCharsets.UTF_8)), "not a tar archive");
        assertInvalid(() -> read("{\"json\": true}".repeat(100).getBytes(StandardCharsets.UTF_8)), "not a tar archive");
    }

    @Test
    void anEmptyInputIsInvalid() {
        assertInvalid(() -> read(new byte[0]), "empty");
        assertInvalid(() -> read(new TarBuilder().build()), "empty");
    }

    @Test
    void aTarWithoutManifestsSaysWhatIsMissing() {
        assertInvalid(() -> read(new TarBuilder().file("hello.txt", "hi").build()),
                "no manifest.json or index.json in the archive");
    }

    @Test
    void manifestJsonNamingAMissingFileIsInvalid() {
        TestImages img = TestImages.of("ok");
        byte[] missingConfig = new TarBuilder()
                .file("layer.tar", img.layers().getFirst())
                .file("manifest.json", json(List.of(Map.of("Config", "abc.json", "Layers", List.of("layer.tar")))))
                .build();
        assertInvalid(() -> read(missingConfig), "the archive names abc.json but does not contain it");
        byte[] missingLayer = new TarBuilder()
                .file("abc.json", img.config())
                .file("manifest.json", json(List.of(Map.of("Config", "abc.json", "Layers", List.of("x/layer.tar")))))
                .build();
        assertInvalid(() -> read(missingLayer), "names layer x/layer.tar but does not contain it");
    }

    @Test
    void malformedManifestJsonIsInvalid() {
        assertInvalid(() -> read(new TarBuilder().file("manifest.json", "[{").build()), "invalid manifest.json");
        assertInvalid(() -> read(new TarBuilder().file("manifest.json", "{}").build()), "expected a JSON array");
        assertInvalid(() -> read(new TarBuilder().file("manifest.json", "[{\"Layers\":[]}]").build()), "has no Config");
        assertInvalid(() -> read(new TarBuilder().file("manifest.json", "[\"x\"]").build()), "has no Config");
    }

    @Test
    void anOciBlobWhoseContentDoesNotMatchItsNameIsDataLoss() throws IOException {
        Oci o = ociImage(Platform.host(), "real");
        byte[] tampered = o.layer().clone();
        tampered[tampered.length / 2] ^= 1;
        byte[] tar = new TarBuilder()
                .file("blobs/sha256/" + o.manifestDigest().hex(), o.manifest())
                .file("blobs/sha256/" + o.img().configDigest().hex(), o.img().config())
                .file("blobs/sha256/" + o.layerDigest().hex(), tampered)
                .file("index.json", index(indexEntry(MediaTypes.OCI_MANIFEST, o.manifestDigest(), o.manifest().length, null)))
                .build();
        assertFails(ErrorCategory.DATA_LOSS, () -> read(tar), "digest mismatch", o.layerDigest().toString(), "corrupt");
    }

    @Test
    void aDocker25BlobWhoseContentDoesNotMatchItsNameIsDataLoss() throws IOException {
        // docker save (25+) lists blobs/sha256/<digest> paths in manifest.json; a damaged blob must not load
        // under a different digest as if nothing happened.
        TestImages img = TestImages.of("layer");
        byte[] tampered = img.layers().getFirst().clone();
        tampered[600] ^= 1;
        String layerPath = "blobs/sha256/" + img.diffIds().getFirst().hex();
        String configPath = "blobs/sha256/" + img.configDigest().hex();
        byte[] tar = new TarBuilder()
                .file(layerPath, tampered)
                .file(configPath, img.config())
                .file("manifest.json", json(List.of(Map.of("Config", configPath, "Layers", List.of(layerPath)))))
                .build();
        assertFails(ErrorCategory.DATA_LOSS, () -> read(tar), "digest mismatch", img.diffIds().getFirst().toString());
    }

    @Test
    void anOciIndexNamingAMissingBlobIsInvalid() throws IOException {
        Oci o = ociImage(Platform.host(), "x");
        byte[] noManifest = new TarBuilder()
                .file("index.json", index(indexEntry(MediaTypes.OCI_MANIFEST, o.manifestDigest(), o.manifest().length, null)))
                .build();
        assertInvalid(() -> read(noManifest), "names blob " + o.manifestDigest(), "does not contain it");
        byte[] noLayer = new TarBuilder()
                .file("blobs/sha256/" + o.manifestDigest().hex(), o.manifest())
                .file("blobs/sha256/" + o.img().configDigest().hex(), o.img().config())
                .file("index.json", index(indexEntry(MediaTypes.OCI_MANIFEST, o.manifestDigest(), o.manifest().length, null)))
                .build();
        assertInvalid(() -> read(noLayer), "names blob " + o.layerDigest());
    }

    @Test
    void malformedIndexJsonIsInvalid() {
        assertInvalid(() -> read(new TarBuilder().file("index.json", "{{").build()), "manifest invalid");
        assertInvalid(() -> read(new TarBuilder().file("index.json", "{\"schemaVersion\":2}").build()),
                "index has no manifests");
        assertInvalid(() -> read(new TarBuilder().file("index.json",
                "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"size\":1}]}")
                .build()), "lacks a digest");
    }

    @Test
    void anIndexEntryWhoseBlobIsOfAnotherKindIsInvalid() throws IOException {
        Oci o = ociImage(Platform.host(), "x");
        // index.json says "image manifest" but the blob is an index, and the other way round.
        byte[] nested = Json.MAPPER.writeValueAsBytes(new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(
                Descriptor.of(MediaTypes.OCI_MANIFEST, o.manifestDigest(), o.manifest().length)
                        .withPlatform(Platform.host())), null));
        Digest nestedDigest = Digest.sha256Of(nested);
        byte[] manifestClaimed = withBlobs(new TarBuilder(), o).file("blobs/sha256/" + nestedDigest.hex(), nested)
                .file("index.json", index(indexEntry(MediaTypes.OCI_MANIFEST, nestedDigest, nested.length, null)))
                .build();
        assertInvalid(() -> read(manifestClaimed), nestedDigest.toString(), "not an image manifest");
        byte[] indexClaimed = withBlobs(new TarBuilder(), o)
                .file("index.json", index(indexEntry(MediaTypes.OCI_INDEX, o.manifestDigest(), o.manifest().length, null)))
                .build();
        assertInvalid(() -> read(indexClaimed), o.manifestDigest().toString(), "not an image index");
    }
}
