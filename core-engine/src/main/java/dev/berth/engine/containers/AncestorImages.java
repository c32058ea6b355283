package dev.berth.engine.containers;

import dev.berth.engine.images.ImageRecord;
import dev.berth.engine.images.ImageService;

import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code ancestor} filter of {@code docker ps}: an image (by name, tag, digest or id, resolved as
 * everywhere else) and every image built on it. "Built on it" is a layer prefix, as moby's containerd
 * image store computes children; an unknown image matches no container, as in moby.
 */
final class AncestorImages {
    private AncestorImages() {
    }

    static Set<String> of(ImageService images, String reference) {
        Optional<ImageRecord> base = images.find(reference);
        if (base.isEmpty()) {
            return Set.of();
        }
        Set<String> out = new HashSet<>();
        out.add(base.get().id().toString());
        List<?> prefix = base.get().diffIds();
        if (prefix.isEmpty()) {
            return out;
        }
        for (ImageRecord r : images.store().list()) {
            if (r.diffIds().size() > prefix.size() && r.diffIds().subList(0, prefix.size()).equals(prefix)) {
                out.add(r.id().toString());
            }
        }
        return out;
    }
}
