package dev.berth.engine.build;

import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.LayerRecord;
import dev.berth.engine.network.NetworkFilters;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
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

    /** The filter keys the classic cache can answer: its entries record when they were made, nothing else. */
    private static final Set<String> FILTERS = Set.of("until", "unused-for");

    /**
     * Checks the request before anything goes: a filter or size limit the classic cache cannot apply
     * must not turn into pruning all of it.
     *
     * @param filters the parsed {@code filters}; {@code unused-for} is moby's older name for {@code until}
     * @param sizeLimits the values of {@code keep-storage}, {@code reserved-space}, {@code max-used-space} and
     *                   {@code min-free-space} as sent (null when absent; older clients always send a 0)
     */
    public static java.util.function.Predicate<java.time.Instant> selection(Map<String, List<String>> filters,
                                                                            List<String> sizeLimits) {
        for (String key : filters.keySet()) {
            if (!FILTERS.contains(key)) {
                throw BerthException.invalid("filter '" + key + "' is not supported by Berth's build cache (the classic"
                        + " builder's): only 'until' is");
            }
        }
        for (String limit : sizeLimits) {
            if (limit != null && !limit.isEmpty() && !limit.equals("0")) {
                throw BerthException.invalid("Berth's build cache (the classic builder's) keeps no sizes per entry:"
                        + " --keep-storage, --reserved-space, --max-used-space and --min-free-space are not supported");
            }
        }
        Map<String, List<String>> until = new HashMap<>();
        List<String> values = new ArrayList<>(filters.getOrDefault("until", List.of()));
        values.addAll(filters.getOrDefault("unused-for", List.of()));
        if (!values.isEmpty()) {
            until.put("until", values);
        }
        // parsed once now, so that a malformed value is refused before anything is removed
        NetworkFilters.until(until, java.time.Instant.EPOCH);
        return created -> NetworkFilters.until(until, created);
    }

    public static Map<String, Object> prune(ImageService images, BuildCache cache) {
        return prune(images, cache, created -> true);
    }

    public static Map<String, Object> prune(ImageService images, BuildCache cache,
                                            java.util.function.Predicate<java.time.Instant> selected) {
        Map<Digest, Long> layerSizes = new HashMap<>();
        for (Digest d : images.store().knownLayers()) {
            layerSizes.put(d, images.store().layer(d).map(LayerRecord::size).orElse(0L));
        }
        Set<String> deleted = new LinkedHashSet<>();
        for (Digest id : cache.remove(selected)) {
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
