package dev.berth.engine.containers;

import dev.berth.engine.network.NetworkFilters;
import dev.berth.errors.BerthException;

import java.io.IOException;
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

    /** dockerd's report: {@code ContainersDeleted} (ids) and {@code SpaceReclaimed} (not measured: 0). */
    public static Map<String, Object> prune(ContainerService containers, Map<String, List<String>> filters)
            throws IOException, InterruptedException {
        for (String key : filters.keySet()) {
            if (!List.of("until", "label", "label!").contains(key)) {
                throw BerthException.invalid("invalid filter '" + key + "'");
            }
        }
        List<String> deleted = new ArrayList<>();
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
                containers.remove(id, false, false);
                deleted.add(id);
            } catch (BerthException e) {
                // started or removed meanwhile: dockerd skips such a container too
                LOG.log(Level.FINE, "pruning container " + id + " skipped", e);
            }
        }
        Map<String, Object> report = new LinkedHashMap<>();
        report.put("ContainersDeleted", deleted);
        report.put("SpaceReclaimed", 0L);
        return report;
    }
}
