package dev.berth.engine.containers;

import dev.berth.engine.images.DiffIngest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.images.ImageRecord;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.LayerRecord;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.MediaTypes;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code docker commit}: the container's upper directory becomes one new layer (an uncompressed OCI
 * tar, which is also its diffID) on top of its image's layers; the config is the image's with the
 * container's settings and the requested changes applied, plus a history entry. Registered like a
 * loaded image, under {@code repo:tag} when one is given.
 *
 * <p>Not done: pausing a running container while its upper dir is read (Docker's default). A file
 * changing meanwhile can fail the commit ("shrank while it was being archived") but not corrupt it.
 */
public final class Committer {
    private final ContainerService containers;
    private final ImageService images;

    public Committer(ContainerService containers, ImageService images) {
        this.containers = containers;
        this.images = images;
    }

    public record Request(String container, String repo, String tag, String comment, String author, List<String> changes) {
    }

    /** @return the new image's ID */
    public Digest commit(Request rq) throws IOException {
        ImageReference ref = reference(rq.repo(), rq.tag());
        // Validate the changes before any work, so a typo costs nothing.
        CommitChanges.apply(Json.MAPPER.createObjectNode(), rq.changes());
        return containers.withRootFs(rq.container(), false, (r, rootfs, lowers) -> images.holdingContent(() -> {
            ImageRecord base = images.require(r.imageId());
            // Runtime mount points are not the container's changes: Docker keeps them in its init layer.
            Digest diffId = DiffIngest.ingestDiff(images, rootfs.upper(),
                    new ChangesReader(rootfs.upper(), lowers).initLayerEntries());
            long size = images.layers().contains(diffId)
                    ? images.store().layer(diffId).map(LayerRecord::size).orElse(0L)
                    : -1;
            if (size < 0 || !images.layers().contains(diffId)) {
                try (InputStream in = images.blobs().open(diffId)) {
                    size = images.importer().importLayer(in, MediaTypes.Compression.NONE, diffId);
                }
            }
            long blobSize = images.blobs().size(diffId).orElseThrow();

            List<LayerRecord> records = new ArrayList<>();
            List<Descriptor> layers = new ArrayList<>();
            for (Digest d : base.diffIds()) {
                LayerRecord lr = images.store().layer(d)
                        .orElseThrow(() -> BerthException.system("layer " + d + " of the container's image is not recorded", null));
                records.add(lr);
                layers.add(lr.blobDigest() != null ? Descriptor.of(lr.blobMediaType(), lr.blobDigest(), lr.blobSize())
                        : Descriptor.of(MediaTypes.OCI_LAYER, d, lr.size()));
            }
            records.add(new LayerRecord(diffId, size, diffId, MediaTypes.OCI_LAYER, blobSize));
            layers.add(Descriptor.of(MediaTypes.OCI_LAYER, diffId, blobSize));

            ObjectNode cfg = (ObjectNode) Json.MAPPER.readTree(images.blobs().read(base.id()));
            String now = Instant.now().toString();
            cfg.put("created", now);
            if (rq.author() != null && !rq.author().isEmpty()) {
                cfg.put("author", rq.author());
            } else {
                cfg.remove("author");
            }
            ObjectNode config = mergeConfig(cfg.path("config").isObject() ? (ObjectNode) cfg.get("config")
                    : Json.MAPPER.createObjectNode(), r.config().path("Config"));
            CommitChanges.apply(config, rq.changes());
            cfg.set("config", config);
            ObjectNode rootfsNode = cfg.path("rootfs").isObject() ? (ObjectNode) cfg.get("rootfs") : cfg.putObject("rootfs");
            rootfsNode.put("type", "layers");
            ArrayNode diffIds = rootfsNode.putArray("diff_ids");
            base.diffIds().forEach(d -> diffIds.add(d.toString()));
            diffIds.add(diffId.toString());
            ArrayNode history = cfg.path("history").isArray() ? (ArrayNode) cfg.get("history") : cfg.putArray("history");
            ObjectNode h = history.addObject();
            h.put("created", now);
            List<String> cmd = new ArrayList<>();
            cmd.add(r.config().path("Path").asText());
            r.config().path("Args").forEach(a -> cmd.add(a.asText()));
            h.put("created_by", String.join(" ", cmd).strip());
            if (rq.author() != null && !rq.author().isEmpty()) {
                h.put("author", rq.author());
            }
            if (rq.comment() != null && !rq.comment().isEmpty()) {
                h.put("comment", rq.comment());
            }

            byte[] configBytes = Json.MAPPER.writeValueAsBytes(cfg);
            Digest configDigest = images.blobs().put(configBytes);
            byte[] manifest = Json.MAPPER.writeValueAsBytes(ImageManifest.oci(
                    Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length), layers));
            Digest manifestDigest = images.blobs().put(manifest);
            images.register(configDigest, manifestDigest, MediaTypes.OCI_MANIFEST, records,
                    ref == null ? List.of() : List.of(ref.toString()));
            images.store().parents().set(configDigest, base.id()); // moby's commit: the container's image is the parent
            return configDigest;
        }));
    }

    /**
     * The image's config with the container's own settings over it, as moby's merge did at create:
     * an entrypoint given without a command drops the image's command.
     */
    static ObjectNode mergeConfig(ObjectNode image, JsonNode container) {
        ObjectNode c = image.deepCopy();
        for (String f : List.of("User", "WorkingDir", "StopSignal", "Hostname", "Domainname")) {
            String v = container.path(f).asText("");
            if (!v.isEmpty()) {
                c.put(f, v);
            }
        }
        boolean userEntrypoint = nonEmpty(container.get("Entrypoint"));
        if (userEntrypoint) {
            c.set("Entrypoint", asArray(container.get("Entrypoint")));
            c.set("Cmd", nonEmpty(container.get("Cmd")) ? asArray(container.get("Cmd")) : null);
        } else if (nonEmpty(container.get("Cmd"))) {
            c.set("Cmd", asArray(container.get("Cmd")));
        }
        if (container.path("Env").isArray()) {
            for (JsonNode e : container.get("Env")) {
                String s = e.asText();
                int eq = s.indexOf('=');
                CommitChanges.setEnv(c, eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        for (String f : List.of("Labels", "ExposedPorts", "Volumes")) {
            if (container.path(f).isObject() && !container.get(f).isEmpty()) {
                ObjectNode into = c.path(f).isObject() ? (ObjectNode) c.get(f) : c.putObject(f);
                into.setAll((ObjectNode) container.get(f));
            }
        }
        return c;
    }

    private static boolean nonEmpty(JsonNode n) {
        return n != null && !n.isNull() && !(n.isArray() && n.isEmpty()) && !(n.isTextual() && n.asText().isEmpty());
    }

    private static ArrayNode asArray(JsonNode n) {
        if (n.isArray()) {
            return (ArrayNode) n.deepCopy();
        }
        ArrayNode a = Json.MAPPER.createArrayNode();
        a.add(n.asText());
        return a;
    }

    private static ImageReference reference(String repo, String tag) {
        if (repo == null || repo.isEmpty()) {
            if (tag != null && !tag.isEmpty()) {
                throw BerthException.invalid("tag is specified without repository");
            }
            return null;
        }
        ImageReference target = ImageReference.parseNormalizedNamed(repo);
        if (target.digest().isPresent()) {
            throw BerthException.invalid("refusing to create a tag with a digest reference");
        }
        String t = tag == null || tag.isEmpty() ? target.tag().orElse(ImageReference.DEFAULT_TAG) : tag;
        return target.withTag(t);
    }
}
