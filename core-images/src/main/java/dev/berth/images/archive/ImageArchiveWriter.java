package dev.berth.images.archive;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.MediaTypes;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes images as Docker 25's {@code docker save} does: an OCI image layout (blobs, index.json,
 * oci-layout) that also carries the classic manifest.json and repositories files, so both old and new
 * {@code docker load}, and OCI tools, read it. Layers are stored uncompressed, named by diffID.
 */
public final class ImageArchiveWriter {
    /** Opens a layer's uncompressed tar; called once, while that layer is written. */
    @FunctionalInterface
    public interface LayerSource {
        InputStream open() throws IOException;
    }

    public record SaveLayer(Digest diffId, long size, LayerSource source) {
    }

    /** @param repoTags fully qualified or familiar references this image carries in the archive */
    public record SaveImage(Digest configDigest, byte[] config, List<SaveLayer> layers, List<String> repoTags) {
    }

    private static final long FIXED_MTIME = 0L;

    private ImageArchiveWriter() {
    }

    public static void write(List<SaveImage> images, OutputStream target) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(target, 64 * 1024);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        Set<String> written = new HashSet<>();
        dir(tar, "blobs/");
        dir(tar, "blobs/sha256/");
        ArrayNode index = Json.MAPPER.createArrayNode();
        ArrayNode manifestJson = Json.MAPPER.createArrayNode();
        Map<String, Map<String, String>> repositories = new LinkedHashMap<>();
        for (SaveImage img : images) {
            List<Descriptor> layerDescriptors = new ArrayList<>();
            ArrayNode layerPaths = Json.MAPPER.createArrayNode();
            for (SaveLayer l : img.layers()) {
                String path = blobPath(l.diffId());
                if (written.add(path)) {
                    TarArchiveEntry e = fileEntry(path, l.size());
                    tar.putArchiveEntry(e);
                    try (InputStream in = l.source().open()) {
                        long copied = in.transferTo(tar);
                        if (copied != l.size()) {
                            throw new IOException("layer " + l.diffId() + " has " + copied + " bytes, expected " + l.size());
                        }
                    }
                    tar.closeArchiveEntry();
                }
                layerDescriptors.add(Descriptor.of(MediaTypes.OCI_LAYER, l.diffId(), l.size()));
                layerPaths.add(path);
            }
            bytes(tar, written, blobPath(img.configDigest()), img.config());
            byte[] manifest = Json.MAPPER.writeValueAsBytes(ImageManifest.oci(
                    Descriptor.of(MediaTypes.OCI_CONFIG, img.configDigest(), img.config().length), layerDescriptors));
            Digest manifestDigest = Digest.sha256Of(manifest);
            bytes(tar, written, blobPath(manifestDigest), manifest);

            ArrayNode tags = Json.MAPPER.createArrayNode();
            for (String t : img.repoTags()) {
                ImageReference ref = ImageReference.parse(t);
                tags.add(ref.familiarString());
                ObjectNode entry = descriptorNode(manifestDigest, manifest.length);
                entry.putObject("annotations")
                        .put("io.containerd.image.name", ref.toString())
                        .put("org.opencontainers.image.ref.name", ref.tag().orElse("latest"));
                index.add(entry);
                if (!img.layers().isEmpty()) {
                    repositories.computeIfAbsent(ref.familiarName(), k -> new LinkedHashMap<>())
                            .put(ref.tag().orElse("latest"), img.layers().getLast().diffId().hex());
                }
            }
            if (img.repoTags().isEmpty()) {
                index.add(descriptorNode(manifestDigest, manifest.length));
            }
            ObjectNode m = manifestJson.addObject();
            m.put("Config", blobPath(img.configDigest()));
            m.set("RepoTags", tags);
            m.set("Layers", layerPaths);
        }
        ObjectNode idx = Json.MAPPER.createObjectNode();
        idx.put("schemaVersion", 2);
        idx.put("mediaType", MediaTypes.OCI_INDEX);
        idx.set("manifests", index);
        bytes(tar, written, "index.json", Json.MAPPER.writeValueAsBytes(idx));
        bytes(tar, written, "manifest.json", Json.MAPPER.writeValueAsBytes(manifestJson));
        bytes(tar, written, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes());
        if (!repositories.isEmpty()) {
            bytes(tar, written, "repositories", Json.MAPPER.writeValueAsBytes(repositories));
        }
        tar.finish();
        tar.flush();
    }

    private static ObjectNode descriptorNode(Digest d, long size) {
        ObjectNode n = Json.MAPPER.createObjectNode();
        n.put("mediaType", MediaTypes.OCI_MANIFEST);
        n.put("digest", d.toString());
        n.put("size", size);
        return n;
    }

    private static String blobPath(Digest d) {
        return "blobs/" + d.algorithm().prefix() + "/" + d.hex();
    }

    private static void dir(TarArchiveOutputStream tar, String name) throws IOException {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(040755);
        e.setModTime(FIXED_MTIME);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
    }

    private static TarArchiveEntry fileEntry(String name, long size) {
        TarArchiveEntry e = new TarArchiveEntry(name);
        e.setMode(0100644);
        e.setSize(size);
        e.setModTime(FIXED_MTIME);
        return e;
    }

    private static void bytes(TarArchiveOutputStream tar, Set<String> written, String name, byte[] content) throws IOException {
        if (!written.add(name)) {
            return;
        }
        tar.putArchiveEntry(fileEntry(name, content.length));
        tar.write(content);
        tar.closeArchiveEntry();
    }
}
