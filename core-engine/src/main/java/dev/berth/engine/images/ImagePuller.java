package dev.berth.engine.images;

import dev.berth.concurrent.Parallel;
import dev.berth.engine.events.EngineEvent;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageConfig;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.manifest.Platform;
import dev.berth.registry.Credential;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.ProgressEvent;
import dev.berth.registry.RegistryClient;
import dev.berth.registry.RegistryOptions;
import dev.berth.registry.ResolvedImage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;

/**
 * {@code docker pull}: resolve, then download every layer in parallel while unpacking it as it
 * streams in. A layer is published only once both its blob digest and its diffID check out, and the
 * image appears in the catalog in one transaction at the end: a failure at any point leaves no image.
 */
public final class ImagePuller {
    private final ImageService images;
    private final RegistryOptions options;
    private final LayerImporter importer;

    public ImagePuller(ImageService images, RegistryOptions options) {
        this.images = images;
        this.options = options;
        this.importer = images.importer();
    }

    /**
     * @param credential for this registry only (from X-Registry-Auth), or anonymous
     * @param out        docker's progress messages; nothing is sent before the manifest resolves, so a
     *                   missing image is still a plain 404
     */
    public ImageRecord pull(ImageReference ref, Platform platform, Credential credential,
                            Consumer<Map<String, Object>> out) throws IOException {
        RegistryClient client = RegistryClient.create(ref.registry(),
                options.withCredentials(CredentialStore.of(Map.of(ref.registry(), credential))));
        String shownRef = ref.tag().orElse(ref.manifestReference());
        Optional<ImageRecord> before = images.find(ref.toString());
        ImageRecord record = images.holdingContent(() -> {
            ResolvedImage resolved = client.resolve(ref, platform);
            out.accept(Map.of("status", "Pulling from " + ref.familiarName(), "id", shownRef));
            return download(client, ref, resolved, out);
        });
        out.accept(Map.of("status", "Digest: " + digestOfReference(record, ref)));
        boolean upToDate = before.isPresent() && before.get().id().equals(record.id());
        String familiar = ref.familiarString();
        out.accept(Map.of("status", "Status: " + (upToDate ? "Image is up to date for " : "Downloaded newer image for ")
                + familiar));
        images.events().publish(EngineEvent.image("pull", familiar, Map.of("name", ref.familiarName())));
        return record;
    }

    private static Digest digestOfReference(ImageRecord record, ImageReference ref) {
        return record.digestReferences().stream()
                .map(ImageReference::parseNormalizedNamed)
                .filter(r -> r.name().equals(ref.name()))
                .map(r -> r.digest().orElseThrow())
                .findFirst().orElse(record.manifestDigest());
    }

    private ImageRecord download(RegistryClient client, ImageReference ref, ResolvedImage resolved,
                                 Consumer<Map<String, Object>> out) throws IOException {
        var blobs = images.blobs();
        blobs.put(resolved.manifest().bytes());
        if (resolved.index() != null) {
            blobs.put(resolved.index().bytes());
        }
        Descriptor configDesc = resolved.image().config();
        PullProgress progress = new PullProgress(out::accept, Set.of(ProgressEvent.idOf(configDesc.digest())), false);
        List<Descriptor> layers = resolved.image().layers();
        for (Descriptor l : layers) {
            progress.send(ProgressEvent.idOf(l.digest()), "Pulling fs layer");
        }
        client.fetchBlob(ref.repository(), configDesc, blobs, progress);
        ImageConfig config = ImageConfig.parse(blobs.read(configDesc.digest()));
        List<Digest> diffIds = config.diffIds();
        if (diffIds.size() != layers.size()) {
            throw BerthException.invalid("image " + ref.familiarString() + " is invalid: its manifest has " + layers.size()
                    + " layers but its config lists " + diffIds.size() + " diff_ids");
        }
        LayerRecord[] records = new LayerRecord[layers.size()];
        List<Integer> indexes = java.util.stream.IntStream.range(0, layers.size()).boxed().toList();
        Parallel.forEach(indexes, options.parallelism(),
                i -> records[i] = pullLayer(client, ref, layers.get(i), diffIds.get(i), progress));
        List<String> refs = new ArrayList<>();
        if (ref.tag().isPresent()) {
            refs.add(ref.toString());
        }
        refs.add(ref.repositoryOnly().withDigest(resolved.digest()).toString());
        return images.register(configDesc.digest(), resolved.manifest().digest(), resolved.manifest().mediaType(),
                List.of(records), refs);
    }

    private LayerRecord pullLayer(RegistryClient client, ImageReference ref, Descriptor layer, Digest diffId,
                                  PullProgress progress) throws IOException {
        String id = ProgressEvent.idOf(layer.digest());
        Optional<LayerRecord> known = images.store().layer(diffId);
        if (known.isPresent() && images.layers().contains(diffId)) {
            // Unpacked already; the blob may still be missing (a layer that came from docker load).
            client.fetchBlob(ref.repository(), layer, images.blobs(), progress);
            return new LayerRecord(diffId, known.get().size(), layer.digest(), layer.mediaType(), layer.size());
        }
        MediaTypes.Compression compression = MediaTypes.layerCompression(layer.mediaType());
        if (compression == null && !MediaTypes.isLayer(layer.mediaType())) {
            throw BerthException.invalid("unsupported layer media type \"" + layer.mediaType() + "\" for layer "
                    + layer.digest());
        }
        long[] size = new long[1];
        client.fetchBlob(ref.repository(), layer, images.blobs(), progress, in -> {
            size[0] = importer.importLayer(in, compression, diffId);
        });
        progress.send(id, "Extracting");
        progress.send(id, "Pull complete");
        return new LayerRecord(diffId, size[0], layer.digest(), layer.mediaType(), layer.size());
    }
}
