package dev.berth.engine.containers;

import dev.berth.engine.network.NetworkFilters;
import dev.berth.errors.BerthException;
import dev.berth.images.layer.LayerDirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /containers/prune}: removes every container that is not running (created, exited, dead)
 * and that the filters ({@code until}, {@code label}, {@code label!}) select, as dockerd's ContainersPrune.
 */
public final class ContainerPruner {
    private static final Logger LOG = Logger.getLogger(ContainerPruner.class.getName());
    private static final List<String> PRUNED_STATES = List.of("created", "exited", "dead");

    private ContainerPruner() {
    }

    /**
     * dockerd's report: {@code ContainersDeleted} (ids) and {@code SpaceReclaimed}, the sum of the removed
     * containers' writable layers (their overlay upper directories) as dockerd sums their SizeRw.
     */
    public static Map<String, Object> prune(ContainerService containers, Map<String, List<String>> filters)
            throws IOException, InterruptedException {
        for (String key : filters.keySet()) {
            if (!List.of("until", "label", "label!").contains(key)) {
                throw BerthException.invalid("invalid filter '" + key + "'");
            }
        }
        List<String> deleted = new ArrayList<>();
        long reclaimed = 0;
        for (Map<String, Object> row : containers.list(true)) {
            String id = (String) row.get("Id");
            if (!PRUNED_STATES.contains(String.valueOf(row.get("State")))) {
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, String> labels = row.get("Labels") instanceof Map<?, ?> m ? (Map<String, String>) m : Map.of();
            if (!NetworkFilters.labels(filters, labels) || !NetworkFilters.until(filters, containers.resolve(id).created())) {
                continue;
            }
            try {
                long size = writableLayerSize(containers, id);
                containers.remove(id, false, false);
                reclaimed += size;
                deleted.add(id);
            } catch (BerthException e) {
                // started or removed meanwhile: dockerd skips such a container too
                LOG.log(Level.FINE, "pruning container " + id + " skipped", e);
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("ContainersDeleted", deleted);
        report.put("SpaceReclaimed", reclaimed);
        return report;
    }

    /** Apparent bytes of the regular files in the container's upper directory (not following links). */
    public static long writableLayerSize(ContainerService containers, String id) throws IOException {
        return containers.withRootFs(id, false, (r, rootfs, lowers) -> {
            Path upper = rootfs.upper();
            if (!Files.isDirectory(upper, LinkOption.NOFOLLOW_LINKS)) {
                return 0L;
            }
            return LayerDirs.regularFilesSize(upper);
        });
    }
}
