package dev.berth.engine.images;

import dev.berth.engine.events.EngineEvent;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.Manifests;
import dev.berth.registry.Credential;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.ProgressEvent;
import dev.berth.registry.RegistryClient;
import dev.berth.registry.RegistryOptions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** {@code docker push}: blobs first (skipping or mounting what the registry has), then the manifest. */
public final class ImagePusher {
    private final ImageService images;
    private final RegistryOptions options;

    public ImagePusher(ImageService images, RegistryOptions options) {
        this.images = images;
        this.options = options;
    }

    /**
     * Pushes {@code repository:tag}, or every tag of the repository when {@code tag} is empty. Errors
     * before the first message (no such image) are plain HTTP errors, as in docker.
     */
    public void push(String repository, String tag, Credential credential, Consumer<Map<String, Object>> out)
            throws IOException {
        ImageReference repo = ImageReference.parseNormalizedNamed(repository);
        if (repo.digest().isPresent()) {
            throw BerthException.invalid("cannot push a digest reference");
        }
        List<ImageReference> targets = new ArrayList<>();
        if (tag != null && !tag.isEmpty()) {
            targets.add(repo.withTag(tag));
        } else if (repo.tag().isPresent()) {
            targets.add(repo);
        } else {
            for (ImageRecord r : images.store().list()) {
                for (String t : r.tags()) {
                    ImageReference ref = ImageReference.parse(t);
                    if (ref.name().equals(repo.name())) {
                        targets.add(ref);
                    }
                }
            }
        }
        List<ImageRecord> sources = new ArrayList<>();
        for (ImageReference t : targets) {
            sources.add(images.find(t.toString()).orElseThrow(() -> BerthException.notFound(
                    "An image does not exist locally with the tag: " + t.familiarName())));
        }
        if (targets.isEmpty()) {
            throw BerthException.notFound("An image does not exist locally with the tag: " + repo.familiarName());
        }
        RegistryClient client = RegistryClient.create(repo.registry(),
                options.withCredentials(CredentialStore.of(Map.of(repo.registry(), credential))));
        out.accept(Map.of("status", "The push refers to repository [" + repo.name() + "]"));
        images.holdingContent(() -> {
            for (int i = 0; i < targets.size(); i++) {
                pushOne(client, targets.get(i), sources.get(i), out);
            }
            return null;
        });
    }

    private void pushOne(RegistryClient client, ImageReference target, ImageRecord image,
                         Consumer<Map<String, Object>> out) throws IOException {
        Digest manifestDigest = image.manifestDigest();
        byte[] manifestBytes = images.blobs().read(manifestDigest);
        ImageManifest manifest = (ImageManifest) Manifests.parse(manifestBytes, image.manifestMediaType());
        PullProgress progress = new PullProgress(out::accept, Set.of(ProgressEvent.idOf(manifest.config().digest())), true);
        for (Descriptor l : manifest.layers().reversed()) {
            progress.send(ProgressEvent.idOf(l.digest()), "Preparing");
        }
        String mountFrom = mountSource(image, target);
        Digest pushed = client.push(target, manifestDigest, image.manifestMediaType(), images.blobs(), mountFrom, progress);
        String tag = target.tag().orElse(pushed.toString());
        out.accept(Map.of("status", tag + ": digest: " + pushed + " size: " + manifestBytes.length));
        Map<String, Object> aux = new LinkedHashMap<>();
        aux.put("Tag", tag);
        aux.put("Digest", pushed.toString());
        aux.put("Size", manifestBytes.length);
        out.accept(Map.of("progressDetail", Map.of(), "aux", aux));
        images.store().addReference(target.repositoryOnly().withDigest(pushed).toString(), image.id());
        images.events().publish(EngineEvent.image("push", target.familiarString(), Map.of("name", target.familiarName())));
    }

    /** Another repository on the same registry that this image came from or went to, for a mount. */
    private static String mountSource(ImageRecord image, ImageReference target) {
        for (String r : image.references()) {
            ImageReference ref = ImageReference.parseNormalizedNamed(r);
            if (ref.registry().equals(target.registry()) && !ref.repository().equals(target.repository())) {
                return ref.repository();
            }
        }
        return null;
    }
}
