package dev.berth.engine.build;

import dev.berth.engine.images.DiffIngest;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.images.ImageRecord;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.LayerRecord;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.MediaTypes;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes the image of one build step: the parent's layers, plus a new one made from a directory's
 * diff (a RUN container's upper dir, or a COPY's staged tree) or none for a metadata-only step, and
 * the parent's config with a history entry, as the classic builder's commitContainer does.
 * Registered untagged, like Docker's intermediate images.
 */
final class StepImages {
    private final ImageService images;

    StepImages(ImageService images) {
        this.images = images;
    }

    /** A scratch config: what FROM scratch starts with. */
    static ObjectNode scratch() {
        ObjectNode cfg = Json.MAPPER.createObjectNode();
        cfg.put("architecture", dev.berth.images.manifest.Platform.host().architecture());
        cfg.put("os", "linux");
        ObjectNode c = cfg.putObject("config");
        c.putArray("Env").add("PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin");
        cfg.putObject("rootfs").put("type", "layers").putArray("diff_ids");
        return cfg;
    }

    ObjectNode config(Digest image) throws IOException {
        return (ObjectNode) Json.MAPPER.readTree(images.blobs().read(image));
    }

    /**
     * @param parent    null for scratch
     * @param layerDir  the directory whose diff is the new layer, or null for an empty layer
     */
    Digest commit(Digest parent, ObjectNode newConfig, Path layerDir, String createdBy) throws IOException {
        return commit(parent, newConfig, layerDir, createdBy, java.util.Set.of());
    }

    /** @param skip entries of {@code layerDir} (relative paths) left out of the layer: a RUN container's runtime mount points */
    Digest commit(Digest parent, ObjectNode newConfig, Path layerDir, String createdBy, java.util.Set<String> skip) throws IOException {
        return images.holdingContent(() -> {
            List<LayerRecord> records = new ArrayList<>();
            List<Descriptor> layers = new ArrayList<>();
            if (parent != null) {
                ImageRecord base = images.require(parent.toString());
                for (Digest d : base.diffIds()) {
                    LayerRecord lr = images.store().layer(d)
                            .orElseThrow(() -> BerthException.system("layer " + d + " of the build's parent image is not recorded", null));
                    records.add(lr);
                    layers.add(lr.blobDigest() != null ? Descriptor.of(lr.blobMediaType(), lr.blobDigest(), lr.blobSize())
                            : Descriptor.of(MediaTypes.OCI_LAYER, d, lr.size()));
                }
            }
            ObjectNode cfg = newConfig.deepCopy();
            String now = Instant.now().toString();
            cfg.put("created", now);
            ObjectNode rootfs = cfg.path("rootfs").isObject() ? (ObjectNode) cfg.get("rootfs") : cfg.putObject("rootfs");
            rootfs.put("type", "layers");
            ArrayNode diffIds = rootfs.putArray("diff_ids");
            records.forEach(r -> diffIds.add(r.diffId().toString()));
            ArrayNode history = cfg.path("history").isArray() ? (ArrayNode) cfg.get("history") : cfg.putArray("history");
            ObjectNode h = history.addObject();
            h.put("created", now);
            h.put("created_by", createdBy);
            if (layerDir != null) {
                Digest diffId = DiffIngest.ingestDiff(images, layerDir, skip);
                long size = images.layers().contains(diffId)
                        ? images.store().layer(diffId).map(LayerRecord::size).orElse(-1L) : -1;
                if (size < 0) {
                    try (InputStream in = images.blobs().open(diffId)) {
                        size = images.importer().importLayer(in, MediaTypes.Compression.NONE, diffId);
                    }
                }
                long blobSize = images.blobs().size(diffId).orElseThrow();
                records.add(new LayerRecord(diffId, size, diffId, MediaTypes.OCI_LAYER, blobSize));
                layers.add(Descriptor.of(MediaTypes.OCI_LAYER, diffId, blobSize));
                diffIds.add(diffId.toString());
            } else {
                h.put("empty_layer", true);
            }
            cfg.remove("container");
            cfg.remove("container_config");
            byte[] configBytes = Json.MAPPER.writeValueAsBytes(cfg);
            Digest configDigest = images.blobs().put(configBytes);
            byte[] manifest = Json.MAPPER.writeValueAsBytes(ImageManifest.oci(
                    Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), layers));
            Digest manifestDigest = images.blobs().put(manifest);
            images.register(configDigest, manifestDigest, MediaTypes.OCI_MANIFEST, records,
                    images.find(configDigest.toString()).map(ImageRecord::references).orElse(List.of()));
            if (parent != null) {
                // moby's CommitBuildStep/CreateImage: the step's image is a child of the one it ran on
                images.store().parents().set(configDigest, parent);
            }
            return configDigest;
        });
    }

}
