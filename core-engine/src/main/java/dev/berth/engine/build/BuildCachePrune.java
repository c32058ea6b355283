package dev.berth.engine.build;

import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.LayerRecord;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * {@code POST /build/prune} for the classic builder's cache: the cache entries go, and so do the step
 * images they named when nothing else holds them (a tag, a container, a child). Deleting a step takes
 * its untagged parents with it (moby's image delete with prune); every image that went is listed, and
 * the space is that of the layers no image uses any more.
 *
 * <p>dockerd answers this endpoint from BuildKit's cache only ({@code CachesDeleted} lists BuildKit
 * records, and its classic builder keeps reusing its step images afterwards); Berth's build cache is the
 * classic one, so pruning it is what the endpoint can mean here.
 */
public final class BuildCachePrune {
    private BuildCachePrune() {
    }

    public static Map<String, Object> prune(ImageService images, BuildCache cache) {
        Map<Digest, Long> layerSizes = new HashMap<>();
        for (Digest d : images.store().knownLayers()) {
            layerSizes.put(d, images.store().layer(d).map(LayerRecord::size).orElse(0L));
        }
        Set<String> deleted = new LinkedHashSet<>();
        for (Digest id : cache.clear()) {
            var rec = images.find(id.toString());
            if (rec.isEmpty() || !rec.get().references().isEmpty()) {
                continue;
            }
            try {
                for (ImageService.DeleteItem item : images.remove(id.toString(), false)) {
                    if (item.deleted() != null) {
                        deleted.add(item.deleted());
                    }
                }
            } catch (BerthException inUse) {
                // a container or a tagged child still needs it: only the cache entry goes
            }
        }
        Set<Digest> left = images.store().knownLayers();
        long reclaimed = layerSizes.entrySet().stream().filter(e -> !left.contains(e.getKey())).mapToLong(Map.Entry::getValue).sum();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("CachesDeleted", new ArrayList<>(deleted));
        body.put("SpaceReclaimed", reclaimed);
        return body;
    }
}
