package dev.berth.images.testing;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageIndex;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.manifest.Platform;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

/**
 * Small, real, runnable images built from Debian's busybox-static, byte-for-byte reproducible: fixed
 * mtimes, owners and entry order, and the JDK's gzip writes a zero mtime, so digests are stable across
 * runs and machines. Tests on any module use these instead of pulling from the internet.
 */
public final class TestImages {
    /** Where Debian's busybox-static installs; tests that need it check for it first. */
    public static final Path BUSYBOX = Path.of("/bin/busybox");
    /** 2024-01-01T00:00:00Z: any fixed instant keeps the tar bytes stable. */
    public static final Instant MTIME = Instant.parse("2024-01-01T00:00:00Z");

    /** What to vary between fixtures so that tests can make distinct images cheaply. */
    public record Options(String helloText, boolean whiteout, boolean oci) {
        public static Options defaults() {
            return new Options("hello from berth\n", false, false);
        }

        public Options withHello(String text) {
            return new Options(text, whiteout, oci);
        }

        public Options withWhiteout() {
            return new Options(helloText, true, oci);
        }

        public Options asOci() {
            return new Options(helloText, whiteout, true);
        }
    }

    private static volatile byte[] busyboxLayerCache;

    private TestImages() {
    }

    public static boolean busyboxAvailable() {
        return Files.isRegularFile(BUSYBOX);
    }

    /** Docker schema-2 image: layer 1 is busybox with a few applets linked, layer 2 adds etc/hello. */
    public static ImageFixture busybox() {
        return busybox(Options.defaults());
    }

    public static ImageFixture busybox(Options options) {
        List<byte[]> tars = List.of(busyboxLayerTar(), filesLayerTar(options));
        return image(tars, options.oci(), Platform.of("linux", "amd64", null));
    }

    /**
     * An OCI index holding the busybox image for linux/amd64 and a BuildKit-style attestation manifest
     * (platform unknown/unknown, {@code vnd.docker.reference.type: attestation-manifest}) that a client
     * must skip.
     */
    public static ImageFixture busyboxIndexWithAttestation(Options options) {
        ImageFixture image = busybox(options.asOci());
        ImageFixture attestation = attestationFor(image);
        List<Descriptor> entries = List.of(
                image.descriptor().withPlatform(Platform.of("linux", "amd64", null)),
                new Descriptor(attestation.mediaType(), attestation.digest(), attestation.manifest().length, null,
                        Map.of("vnd.docker.reference.type", "attestation-manifest",
                                "vnd.docker.reference.digest", image.digest().toString()),
                        Platform.of("unknown", "unknown", null), null));
        byte[] index = json(new ImageIndex(2, MediaTypes.OCI_INDEX, entries, null));
        return new ImageFixture(MediaTypes.OCI_INDEX, index, Digest.sha256Of(index), null, null, Map.of(), List.of(),
                List.of(image, attestation));
    }

    /** Writes an OCI image layout (as {@code skopeo copy oci:DIR:tag} reads it). */
    public static void writeOciLayout(ImageFixture fixture, Path dir, String tag) throws IOException {
        Path blobs = dir.resolve("blobs").resolve("sha256");
        Files.createDirectories(blobs);
        Files.writeString(dir.resolve("oci-layout"), "{\"imageLayoutVersion\":\"1.0.0\"}");
        writeManifests(fixture, blobs);
        for (Map.Entry<Digest, byte[]> e : fixture.blobs().entrySet()) {
            Files.write(blobs.resolve(e.getKey().hex()), e.getValue());
        }
        Descriptor top = new Descriptor(fixture.mediaType(), fixture.digest(), fixture.manifest().length, null,
                Map.of("org.opencontainers.image.ref.name", tag), null, null);
        Files.write(dir.resolve("index.json"), json(new ImageIndex(2, MediaTypes.OCI_INDEX, List.of(top), null)));
    }

    private static void writeManifests(ImageFixture f, Path blobs) throws IOException {
        Files.write(blobs.resolve(f.digest().hex()), f.manifest());
        for (ImageFixture child : f.children()) {
            writeManifests(child, blobs);
        }
    }

    /** Gzip exactly as the fixtures do, for tests that build their own layers. */
    public static byte[] gzip(byte[] data) {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bos.toByteArray();
    }

    /** A reproducible tar builder for layers. */
    public static final class TarBuilder {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private final TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes);

        public TarBuilder() {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        }

        public TarBuilder dir(String name) {
            TarArchiveEntry e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
            e.setMode(040755);
            return add(e, null);
        }

        public TarBuilder file(String name, int mode, byte[] content) {
            TarArchiveEntry e = new TarArchiveEntry(name);
            e.setMode(0100000 | mode);
            e.setSize(content.length);
            return add(e, content);
        }

        public TarBuilder symlink(String name, String target) {
            TarArchiveEntry e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK);
            e.setLinkName(target);
            e.setMode(0120777);
            return add(e, null);
        }

        private TarBuilder add(TarArchiveEntry e, byte[] content) {
            e.setModTime(Date.from(MTIME));
            e.setIds(0, 0);
            e.setUserName("");
            e.setGroupName("");
            try {
                tar.putArchiveEntry(e);
                if (content != null) {
                    tar.write(content);
                }
                tar.closeArchiveEntry();
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
            return this;
        }

        public byte[] build() {
            try {
                tar.finish();
                tar.close();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return bytes.toByteArray();
        }
    }

    private static byte[] busyboxLayerTar() {
        byte[] cached = busyboxLayerCache;
        if (cached != null) {
            return cached;
        }
        if (!busyboxAvailable()) {
            throw new IllegalStateException(BUSYBOX + " is missing: install Debian's busybox-static");
        }
        byte[] busybox;
        try {
            busybox = Files.readAllBytes(BUSYBOX);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        TarBuilder t = new TarBuilder().dir("bin").file("bin/busybox", 0755, busybox);
        for (String applet : List.of("sh", "ls", "cat", "echo", "sleep", "true")) {
            t.symlink("bin/" + applet, "busybox");
        }
        cached = t.build();
        busyboxLayerCache = cached;
        return cached;
    }

    private static byte[] filesLayerTar(Options options) {
        TarBuilder t = new TarBuilder().dir("etc")
                .file("etc/hello", 0644, options.helloText().getBytes(StandardCharsets.UTF_8));
        if (options.whiteout()) {
            // Deletes bin/echo from the layer below, as `RUN rm /bin/echo` would.
            t.dir("bin").file("bin/.wh.echo", 0644, new byte[0]);
        }
        return t.build();
    }

    /** A linux/amd64 Docker schema-2 image of the given uncompressed layer tars (gzipped here). */
    public static ImageFixture fromLayers(List<byte[]> tars) {
        return image(tars, false, Platform.of("linux", "amd64", null));
    }

    private static ImageFixture image(List<byte[]> tars, boolean oci, Platform platform) {
        Map<Digest, byte[]> layers = new LinkedHashMap<>();
        List<Digest> diffIds = new ArrayList<>();
        List<Descriptor> layerDescriptors = new ArrayList<>();
        for (byte[] tar : tars) {
            byte[] gz = gzip(tar);
            Digest d = Digest.sha256Of(gz);
            layers.put(d, gz);
            diffIds.add(Digest.sha256Of(tar));
            layerDescriptors.add(Descriptor.of(oci ? MediaTypes.OCI_LAYER_GZIP : MediaTypes.DOCKER_LAYER_GZIP, d, gz.length));
        }
        byte[] config = configJson(platform, diffIds);
        Descriptor configDescriptor = Descriptor.of(oci ? MediaTypes.OCI_CONFIG : MediaTypes.DOCKER_CONFIG,
                Digest.sha256Of(config), config.length);
        ImageManifest manifest = oci ? ImageManifest.oci(configDescriptor, layerDescriptors)
                : ImageManifest.docker(configDescriptor, layerDescriptors);
        byte[] manifestBytes = json(manifest);
        return new ImageFixture(manifest.mediaType(), manifestBytes, Digest.sha256Of(manifestBytes), config,
                configDescriptor.digest(), layers, diffIds, List.of());
    }

    private static byte[] configJson(Platform platform, List<Digest> diffIds) {
        ObjectNode root = Json.MAPPER.createObjectNode();
        root.put("architecture", platform.architecture());
        root.put("os", platform.os());
        root.put("created", MTIME.toString());
        ObjectNode config = root.putObject("config");
        config.putArray("Env").add("PATH=/bin");
        config.putArray("Cmd").add("sh");
        ObjectNode rootfs = root.putObject("rootfs");
        rootfs.put("type", "layers");
        ArrayNode ids = rootfs.putArray("diff_ids");
        diffIds.forEach(d -> ids.add(d.toString()));
        ArrayNode history = root.putArray("history");
        history.addObject().put("created", MTIME.toString()).put("created_by", "ADD busybox /bin/busybox");
        history.addObject().put("created", MTIME.toString()).put("created_by", "COPY hello /etc/hello");
        return json(root);
    }

    private static ImageFixture attestationFor(ImageFixture image) {
        byte[] statement = ("{\"_type\":\"https://in-toto.io/Statement/v0.1\",\"subject\":[{\"digest\":{\"sha256\":\""
                + image.digest().hex() + "\"}}],\"predicateType\":\"https://spdx.dev/Document\",\"predicate\":{}}")
                .getBytes(StandardCharsets.UTF_8);
        Digest statementDigest = Digest.sha256Of(statement);
        byte[] config = ("{\"architecture\":\"unknown\",\"os\":\"unknown\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + statementDigest + "\"]}}").getBytes(StandardCharsets.UTF_8);
        Descriptor configDescriptor = Descriptor.of(MediaTypes.OCI_CONFIG, Digest.sha256Of(config), config.length);
        Descriptor layer = new Descriptor("application/vnd.in-toto+json", statementDigest, statement.length, null,
                Map.of("in-toto.io/predicate-type", "https://spdx.dev/Document"), null, null);
        byte[] manifest = json(ImageManifest.oci(configDescriptor, List.of(layer)));
        return new ImageFixture(MediaTypes.OCI_MANIFEST, manifest, Digest.sha256Of(manifest), config,
                configDescriptor.digest(), Map.of(statementDigest, statement), List.of(statementDigest), List.of());
    }

    private static byte[] json(Object value) {
        try {
            return Json.MAPPER.writeValueAsBytes(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * An OCI index with one small image per platform (one layer holding {@code etc/platform}), as a
     * multi-arch push leaves in a registry.
     */
    public static ImageFixture multiPlatformIndex(Platform... platforms) {
        List<ImageFixture> images = new ArrayList<>();
        List<Descriptor> entries = new ArrayList<>();
        for (Platform p : platforms) {
            byte[] tar = new TarBuilder().dir("etc").file("etc/platform", 0644, (p + "\n").getBytes(StandardCharsets.UTF_8))
                    .build();
            ImageFixture image = image(List.of(tar), true, p);
            images.add(image);
            entries.add(image.descriptor().withPlatform(p));
        }
        byte[] index = json(new ImageIndex(2, MediaTypes.OCI_INDEX, entries, null));
        return new ImageFixture(MediaTypes.OCI_INDEX, index, Digest.sha256Of(index), null, null, Map.of(), List.of(),
                images);
    }
}
