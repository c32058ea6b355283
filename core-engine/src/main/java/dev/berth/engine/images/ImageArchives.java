package dev.berth.engine.images;

import dev.berth.engine.events.EngineEvent;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.images.archive.Compressions;
import dev.berth.images.archive.ImageArchiveReader;
import dev.berth.images.archive.ImageArchiveWriter;
import dev.berth.images.archive.LoadedImage;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageConfig;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.manifest.MediaTypes.Compression;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/** {@code docker save} and {@code docker load}: images to and from archives. */
public final class ImageArchives {
    private final ImageService images;
    private final LayerImporter importer;

    public ImageArchives(ImageService images) {
        this.images = images;
        this.importer = images.importer();
    }

    /** Where a save writes; opened only once every name has resolved, so a bad name is a plain error. */
    @FunctionalInterface
    public interface Target {
        OutputStream open() throws IOException;
    }

    /** Writes the named images as one archive, holding their content against a concurrent delete. */
    public void save(List<String> names, Target target) throws IOException {
        images.holdingContent(() -> {
            saveHoldingContent(names, target);
            return null;
        });
    }

    private void saveHoldingContent(List<String> names, Target target) throws IOException {
        if (names.isEmpty()) {
            throw BerthException.invalid("no image names given to save");
        }
        Map<Digest, ImageArchiveWriter.SaveImage> byId = new LinkedHashMap<>();
        for (String name : names) {
            ImageRecord r = images.require(name);
            List<String> tags = tagsToSave(name, r);
            ImageArchiveWriter.SaveImage prior = byId.get(r.id());
            if (prior != null) {
                List<String> merged = new ArrayList<>(prior.repoTags());
                tags.stream().filter(t -> !merged.contains(t)).forEach(merged::add);
                byId.put(r.id(), new ImageArchiveWriter.SaveImage(r.id(), prior.config(), prior.layers(), merged));
                continue;
            }
            List<ImageArchiveWriter.SaveLayer> layers = new ArrayList<>();
            for (Digest diffId : r.diffIds()) {
                LayerRecord l = images.store().layer(diffId)
                        .orElseThrow(() -> BerthException.system("layer " + diffId + " of " + name + " is missing from the catalog", null));
                if (l.blobDigest() == null || !images.blobs().contains(l.blobDigest())) {
                    throw BerthException.system("the blob of layer " + diffId + " is missing; pull " + name + " again", null);
                }
                layers.add(new ImageArchiveWriter.SaveLayer(diffId, l.size(),
                        () -> Compressions.decompressed(images.blobs().open(l.blobDigest()))));
            }
            byId.put(r.id(), new ImageArchiveWriter.SaveImage(r.id(), images.blobs().read(r.id()), layers, tags));
        }
        try (OutputStream out = target.open()) {
            ImageArchiveWriter.write(List.copyOf(byId.values()), out);
        }
        for (Digest id : byId.keySet()) {
            images.events().publish(EngineEvent.image("save", id.toString(), Map.of("name", id.toString())));
        }
    }

    /** A repository name saves all its tags; a tag saves itself; an ID saves no names (as docker does). */
    private static List<String> tagsToSave(String name, ImageRecord r) {
        ImageReference ref;
        try {
            ref = ImageReference.parseNormalizedNamed(name);
        } catch (BerthException notAReference) {
            return List.of();
        }
        if (r.id().toString().startsWith(name) || r.id().hex().startsWith(name)) {
            if (r.tags().stream().noneMatch(t -> t.equals(ImageReference.parse(name).toString()))) {
                return List.of();
            }
        }
        if (ref.digest().isPresent()) {
            return List.of();
        }
        if (ref.tag().isPresent()) {
            return List.of(ref.toString());
        }
        return r.tags().stream().filter(t -> ImageReference.parse(t).name().equals(ref.name())).toList();
    }

    /**
     * Loads every image of an archive: blobs into the store, layers unpacked and checked against their
     * configs, then each image and its tags recorded in one transaction. Progress lines go to
     * {@code output} in docker's words ("Loaded image: busybox:latest").
     */
    public void load(InputStream archive, Consumer<String> output) throws IOException {
        try {
            images.holdingContent(() -> {
                loadHoldingContent(archive, output);
                return null;
            });
        } catch (IOException | RuntimeException e) {
            // The archive's blobs are stored before its layers unpack: a load that fails halfway (a bad layer, a
            // full disk) leaves blobs no image refers to, which the collector takes back now, not at the next start.
            try {
                images.collectGarbage();
            } catch (RuntimeException gc) {
                e.addSuppressed(gc);
            }
            throw e;
        }
        images.collectGarbage();
    }

    private void loadHoldingContent(InputStream archive, Consumer<String> output) throws IOException {
        List<LoadedImage> found = ImageArchiveReader.read(archive, images.blobs());
        if (found.isEmpty()) {
            throw BerthException.invalid("the archive contains no images");
        }
        for (LoadedImage li : found) {
            ImageConfig cfg = ImageConfig.parse(images.blobs().read(li.config()));
            List<Digest> diffIds = cfg.diffIds();
            if (diffIds.size() != li.layerBlobs().size()) {
                throw BerthException.invalid("image " + li.config().shortHex() + " lists " + li.layerBlobs().size()
                        + " layers but its config has " + diffIds.size() + " diff_ids");
            }
            List<LayerRecord> records = new ArrayList<>();
            List<Descriptor> descriptors = new ArrayList<>();
            for (int i = 0; i < diffIds.size(); i++) {
                Digest blob = li.layerBlobs().get(i);
                Digest diffId = diffIds.get(i);
                long blobSize = images.blobs().size(blob).orElseThrow();
                Compression compression;
                try (InputStream in = new BufferedInputStream(images.blobs().open(blob))) {
                    compression = Compressions.detect(in);
                }
                long size = images.store().layer(diffId).map(LayerRecord::size).orElse(-1L);
                if (size < 0 || !images.layers().contains(diffId)) {
                    try (InputStream in = images.blobs().open(blob)) {
                        size = importer.importLayer(in, compression, diffId);
                    }
                }
                String mediaType = switch (compression) {
                    case GZIP -> MediaTypes.OCI_LAYER_GZIP;
                    case ZSTD -> MediaTypes.OCI_LAYER_ZSTD;
                    case NONE -> MediaTypes.OCI_LAYER;
                };
                records.add(new LayerRecord(diffId, size, blob, mediaType, blobSize));
                descriptors.add(Descriptor.of(mediaType, blob, blobSize));
            }
            long configSize = images.blobs().size(li.config()).orElseThrow();
            byte[] manifest = Json.MAPPER.writeValueAsBytes(ImageManifest.oci(
                    Descriptor.of(MediaTypes.OCI_CONFIG, li.config(), configSize), descriptors));
            Digest manifestDigest = images.blobs().put(manifest);
            List<String> refs = new ArrayList<>();
            for (String t : li.repoTags()) {
                refs.add(ImageReference.parse(t).toString());
            }
            images.register(li.config(), manifestDigest, MediaTypes.OCI_MANIFEST, records, refs);
            if (refs.isEmpty()) {
                output.accept("Loaded image ID: " + li.config());
            }
            for (String ref : refs) {
                String familiar = ImageReference.parse(ref).familiarString();
                output.accept("Loaded image: " + familiar);
                images.events().publish(EngineEvent.image("load", li.config().toString(), Map.of("name", familiar)));
            }
        }
    }
}
