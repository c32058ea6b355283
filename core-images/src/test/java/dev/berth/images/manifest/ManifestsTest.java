package dev.berth.images.manifest;

import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.berth.images.BerthAssertions.assertFails;
import static dev.berth.images.BerthAssertions.assertInvalid;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ManifestsTest {
    static final String CONFIG = "sha256:" + "c".repeat(64);
    static final String LAYER1 = "sha256:" + "1".repeat(64);
    static final String LAYER2 = "sha256:" + "2".repeat(64);
    static final String AMD64 = "sha256:" + "a".repeat(64);
    static final String ARM64 = "sha256:" + "b".repeat(64);

    static final String DOCKER_V2 = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.docker.distribution.manifest.v2+json",
              "config": {"mediaType": "application/vnd.docker.container.image.v1+json", "size": 1469, "digest": "%s"},
              "layers": [
                {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 2152262, "digest": "%s"},
                {"mediaType": "application/vnd.docker.image.rootfs.diff.tar.gzip", "size": 32, "digest": "%s"}
              ]
            }""".formatted(CONFIG, LAYER1, LAYER2);

    static final String OCI_MANIFEST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.manifest.v1+json",
              "config": {"mediaType": "application/vnd.oci.image.config.v1+json", "size": 581, "digest": "%s"},
              "layers": [{"mediaType": "application/vnd.oci.image.layer.v1.tar+zstd", "size": 100, "digest": "%s",
                          "annotations": {"org.opencontainers.image.title": "layer"}}],
              "annotations": {"org.opencontainers.image.created": "2024-01-01T00:00:00Z"},
              "somethingNew": {"ignored": true}
            }""".formatted(CONFIG, LAYER1);

    static final String OCI_INDEX = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.oci.image.index.v1+json",
              "manifests": [
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 481, "digest": "%s",
                 "platform": {"architecture": "amd64", "os": "linux"}},
                {"mediaType": "application/vnd.oci.image.manifest.v1+json", "size": 481, "digest": "%s",
                 "platform": {"architecture": "arm64", "os": "linux", "variant": "v8"}}
              ],
              "annotations": {"org.opencontainers.image.ref.name": "latest"}
            }""".formatted(AMD64, ARM64);

    static final String DOCKER_LIST = """
            {
              "schemaVersion": 2,
              "mediaType": "application/vnd.docker.distribution.manifest.list.v2+json",
              "manifests": [
                {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 527, "digest": "%s",
                 "platform": {"architecture": "amd64", "os": "linux"}},
                {"mediaType": "application/vnd.docker.distribution.manifest.v2+json", "size": 527, "digest": "%s",
                 "platform": {"architecture": "arm64", "os": "linux", "variant": "v8", "os.features": ["x"]}}
              ]
            }""".formatted(AMD64, ARM64);

    static final String SCHEMA1 = """
            {
              "schemaVersion": 1,
              "name": "library/hello-world",
              "tag": "latest",
              "architecture": "amd64",
              "fsLayers": [{"blobSum": "%s"}],
              "history": [{"v1Compatibility": "{}"}],
              "signatures": []
            }""".formatted(LAYER1);

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void dockerV2Manifest() {
        ImageManifest m = assertInstanceOf(ImageManifest.class, Manifests.parse(b(DOCKER_V2), null));
        assertEquals(MediaTypes.DOCKER_MANIFEST, m.mediaType());
        assertEquals(2, m.schemaVersion());
        assertEquals(Digest.parse(CONFIG), m.config().digest());
        assertEquals(1469, m.config().size());
        assertEquals(MediaTypes.DOCKER_CONFIG, m.config().mediaType());
        assertEquals(List.of(Digest.parse(LAYER1), Digest.parse(LAYER2)), m.layers().stream().map(Descriptor::digest).toList());
        assertEquals(2152262, m.layers().get(0).size());
        assertEquals(MediaTypes.Compression.GZIP, MediaTypes.layerCompression(m.layers().get(0).mediaType()));
    }

    @Test
    void ociManifestIgnoresUnknownFields() {
        ImageManifest m = assertInstanceOf(ImageManifest.class, Manifests.parse(b(OCI_MANIFEST), null));
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());
        assertEquals(Map.of("org.opencontainers.image.created", "2024-01-01T00:00:00Z"), m.annotations());
        assertEquals("layer", m.layers().getFirst().annotations().get("org.opencontainers.image.title"));
        assertEquals(MediaTypes.Compression.ZSTD, MediaTypes.layerCompression(m.layers().getFirst().mediaType()));
    }

    @Test
    void ociIndex() {
        ImageIndex idx = assertInstanceOf(ImageIndex.class, Manifests.parse(b(OCI_INDEX), null));
        assertEquals(MediaTypes.OCI_INDEX, idx.mediaType());
        assertEquals(2, idx.manifests().size());
        assertEquals(Platform.of("linux", "arm64", "v8"), idx.manifests().get(1).platform());
        assertEquals("latest", idx.annotations().get("org.opencontainers.image.ref.name"));
    }

    @Test
    void dockerManifestList() {
        ImageIndex idx = assertInstanceOf(ImageIndex.class, Manifests.parse(b(DOCKER_LIST), null));
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, idx.mediaType());
        assertEquals(Digest.parse(AMD64), idx.manifests().getFirst().digest());
        assertEquals(List.of("x"), idx.manifests().get(1).platform().osFeatures());
        assertTrue(MediaTypes.isImageManifest(idx.manifests().getFirst().mediaType()));
    }

    @Test
    void contentTypeDecidesWhenTheBodyHasNoMediaType() {
        String body = DOCKER_V2.replace("\"mediaType\": \"application/vnd.docker.distribution.manifest.v2+json\",", "");
        ManifestContent c = Manifests.parse(b(body), MediaTypes.DOCKER_MANIFEST + "; charset=utf-8");
        assertEquals(MediaTypes.DOCKER_MANIFEST, c.mediaType());
    }

    @Test
    void declaredMediaTypeWinsOverContentType() {
        // Registries often send application/json; the body's own mediaType is what counts.
        ManifestContent c = Manifests.parse(b(DOCKER_LIST), "application/json");
        assertEquals(MediaTypes.DOCKER_MANIFEST_LIST, c.mediaType());
    }

    @Test
    void missingMediaTypeIsJudgedByShape() {
        String manifest = OCI_MANIFEST.replace("\"mediaType\": \"application/vnd.oci.image.manifest.v1+json\",", "");
        ManifestContent m = Manifests.parse(b(manifest), null);
        assertInstanceOf(ImageManifest.class, m);
        assertEquals(MediaTypes.OCI_MANIFEST, m.mediaType());

        String index = OCI_INDEX.replace("\"mediaType\": \"application/vnd.oci.image.index.v1+json\",", "");
        ManifestContent i = Manifests.parse(b(index), "application/octet-stream");
        assertInstanceOf(ImageIndex.class, i);
        assertEquals(MediaTypes.OCI_INDEX, i.mediaType());
    }

    @ParameterizedTest
    @ValueSource(strings = {"{", "not json", "{\"schemaVersion\": 2,}", "\u0000\u0001", "{\"a\":1} trailing"})
    void malformedJsonIsInvalidArgument(String body) {
        assertInvalid(() -> Manifests.parse(b(body), MediaTypes.OCI_MANIFEST), "manifest invalid");
    }

    @Test
    void malformedJsonSaysItIsNotJson() {
        assertInvalid(() -> Manifests.parse(b("{\"schemaVersion\": "), null), "manifest invalid", "not valid JSON");
    }

    @ParameterizedTest
    @ValueSource(strings = {"[]", "\"a string\"", "42", "null", ""})
    void nonObjectsAreInvalid(String body) {
        assertInvalid(() -> Manifests.parse(b(body), null), "manifest invalid");
    }

    @Test
    void schema1IsNotImplemented() {
        assertFails(ErrorCategory.NOT_IMPLEMENTED, () -> Manifests.parse(b(SCHEMA1), null), "schema 1");
        assertFails(ErrorCategory.NOT_IMPLEMENTED,
                () -> Manifests.parse(b(SCHEMA1), MediaTypes.DOCKER_SCHEMA1_SIGNED), "not supported");
        String declared = SCHEMA1.replace("\"schemaVersion\": 1,",
                "\"schemaVersion\": 1, \"mediaType\": \"" + MediaTypes.DOCKER_SCHEMA1 + "\",");
        assertFails(ErrorCategory.NOT_IMPLEMENTED, () -> Manifests.parse(b(declared), null), "schema 1");
    }

    @Test
    void unknownDocumentTypeIsInvalidAndNamed() {
        assertInvalid(() -> Manifests.parse(b("{\"schemaVersion\":2,\"mediaType\":\"application/x-thing\"}"), null),
                "unsupported manifest media type", "application/x-thing");
    }

    @Test
    void unknownLayerMediaTypeIsToleratedAndHasNoCompression() {
        String body = OCI_MANIFEST.replace("application/vnd.oci.image.layer.v1.tar+zstd", "application/vnd.example.thing");
        ImageManifest m = assertInstanceOf(ImageManifest.class, Manifests.parse(b(body), null));
        assertEquals("application/vnd.example.thing", m.layers().getFirst().mediaType());
        assertNull(MediaTypes.layerCompression(m.layers().getFirst().mediaType()));
        assertFalse(MediaTypes.isLayer(m.layers().getFirst().mediaType()));
    }

    @Test
    void badDigestInsideIsInvalidArgumentNotACrash() {
        assertInvalid(() -> Manifests.parse(b(DOCKER_V2.replace(LAYER2, "sha256:1234")), null),
                "manifest invalid", "sha256 needs 64");
        assertInvalid(() -> Manifests.parse(b(DOCKER_V2.replace(CONFIG, "md5:" + "0".repeat(32))), null),
                "manifest invalid", "unsupported digest algorithm md5");
        assertInvalid(() -> Manifests.parse(b(OCI_INDEX.replace(ARM64, "nonsense")), null),
                "manifest invalid", "missing algorithm prefix");
    }

    @Test
    void missingOrMistypedPartsAreInvalid() {
        assertInvalid(() -> Manifests.parse(b("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST + "\",\"layers\":[]}"), null),
                "config and layers are required");
        assertInvalid(() -> Manifests.parse(b(DOCKER_V2.replace("\"digest\": \"" + LAYER1 + "\"", "\"x\": 1")), null),
                "layer descriptor lacks a digest");
        assertInvalid(() -> Manifests.parse(b(DOCKER_V2.replace("\"size\": 32", "\"size\": -5")), null),
                "layer descriptor lacks a digest or size");
        assertInvalid(() -> Manifests.parse(b(DOCKER_V2.replace("\"size\": 32", "\"size\": \"big\"")), null),
                "manifest invalid");
        assertInvalid(() -> Manifests.parse(b("{\"mediaType\":\"" + MediaTypes.OCI_MANIFEST
                + "\",\"config\":{\"digest\":\"" + CONFIG + "\"},\"layers\":[null]}"), null), "layer descriptor");
        assertInvalid(() -> Manifests.parse(b("{\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\"}"), null),
                "index has no manifests");
    }

    @Test
    void indexEntriesWithoutADigestAreInvalid() {
        // An index entry is only useful with a digest; a null entry or a digest-less one must not
        // surface later as a NullPointerException in platform selection or archive loading.
        assertInvalid(() -> Manifests.parse(b("{\"mediaType\":\"" + MediaTypes.OCI_INDEX + "\",\"manifests\":[null]}"), null),
                "manifest invalid", "index entry");
        assertInvalid(() -> Manifests.parse(b(OCI_INDEX.replace("\"digest\": \"" + ARM64 + "\",", "")), null),
                "manifest invalid", "index entry");
    }

    @ParameterizedTest
    @CsvSource(nullValues = "NULL", textBlock = """
            application/vnd.docker.image.rootfs.diff.tar.gzip,          GZIP
            application/vnd.docker.image.rootfs.foreign.diff.tar.gzip,  GZIP
            application/vnd.docker.image.rootfs.diff.tar.zstd,          ZSTD
            application/vnd.oci.image.layer.v1.tar,                     NONE
            application/vnd.oci.image.layer.v1.tar+gzip,                GZIP
            application/vnd.oci.image.layer.v1.tar+zstd,                ZSTD
            application/vnd.oci.image.layer.nondistributable.v1.tar+gzip, GZIP
            application/vnd.oci.image.layer.v1.tar+lz4,                 NULL
            application/vnd.oci.image.config.v1+json,                   NULL
            application/octet-stream,                                   NULL
            NULL,                                                       NULL
            """)
    void layerCompressionByMediaType(String mediaType, MediaTypes.Compression expected) {
        assertEquals(expected, MediaTypes.layerCompression(mediaType));
    }

    @Test
    void mediaTypeClassification() {
        assertTrue(MediaTypes.isIndex(MediaTypes.OCI_INDEX));
        assertTrue(MediaTypes.isIndex(MediaTypes.DOCKER_MANIFEST_LIST));
        assertFalse(MediaTypes.isIndex(MediaTypes.OCI_MANIFEST));
        assertTrue(MediaTypes.isImageManifest(MediaTypes.DOCKER_MANIFEST));
        assertFalse(MediaTypes.isImageManifest(null));
        assertTrue(MediaTypes.isSchema1(MediaTypes.DOCKER_SCHEMA1_SIGNED));
        assertFalse(MediaTypes.isSchema1(MediaTypes.DOCKER_MANIFEST));
        assertEquals(MediaTypes.OCI_INDEX, MediaTypes.ACCEPTED_MANIFESTS.getFirst());
        assertEquals(4, MediaTypes.ACCEPTED_MANIFESTS.size());
    }

    @Test
    void manifestSerialisesToWhatParses() throws Exception {
        ImageManifest m = ImageManifest.oci(Descriptor.of(MediaTypes.OCI_CONFIG, Digest.parse(CONFIG), 7),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER_GZIP, Digest.parse(LAYER1), 0)));
        byte[] json = Json.MAPPER.writeValueAsBytes(m);
        String text = new String(json, StandardCharsets.UTF_8);
        assertTrue(text.contains("\"size\":0"), "size is required by OCI even when zero: " + text);
        assertFalse(text.contains("null"), "absent fields are omitted: " + text);
        assertFalse(text.contains("\"platform\""), text);
        assertEquals(m, Manifests.parse(json, null));
        ImageManifest d = ImageManifest.docker(m.config(), m.layers());
        assertEquals(MediaTypes.DOCKER_MANIFEST, Manifests.parse(Json.MAPPER.writeValueAsBytes(d), null).mediaType());
    }

    @Test
    void descriptorJsonRoundTripKeepsPlatformAndAnnotations() throws Exception {
        Descriptor d = new Descriptor(MediaTypes.OCI_MANIFEST, Digest.parse(AMD64), 10, List.of("https://x/y"),
                Map.of("k", "v"), new Platform("arm64", "linux", "10.0", List.of("f"), "v8"), "application/x");
        String json = Json.MAPPER.writeValueAsString(d);
        assertTrue(json.contains("\"os.version\":\"10.0\""), json);
        assertTrue(json.contains("\"os.features\":[\"f\"]"), json);
        assertEquals(d, Json.MAPPER.readValue(json, Descriptor.class));
        assertEquals(Platform.of("linux", "amd64", null), d.withPlatform(Platform.of("linux", "amd64", "")).platform());
    }
}
