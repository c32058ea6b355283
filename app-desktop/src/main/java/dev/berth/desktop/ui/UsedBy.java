package dev.berth.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.client.model.ContainerSummary;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Which containers (running or not) use each volume, network or image, from one container list: the
 * volumes, networks and images views show it, as {@code docker ps --filter volume=/network=} would
 * find them (images by the containers' exact ImageID).
 */
public record UsedBy(Function<List<ContainerSummary>, Map<String, List<String>>> index, Function<JsonNode, List<String>> keys) {
    /** Volumes by name, from the containers' {@code Mounts} of type volume. */
    public static UsedBy volumes() {
        return new UsedBy(UsedBy::byVolume, n -> List.of(n.path("Name").asText("")));
    }

    /** Networks by ID and by name, from the containers' {@code NetworkSettings.Networks}. */
    public static UsedBy networks() {
        return new UsedBy(UsedBy::byNetwork, n -> List.of(n.path("Id").asText(""), n.path("Name").asText("")));
    }

    /** The names of the containers that use {@code item}, sorted; empty when none does. */
    public List<String> of(Map<String, List<String>> index, JsonNode item) {
        for (String k : keys.apply(item)) {
            List<String> names = k.isEmpty() ? null : index.get(k);
            if (names != null) {
                return names;
            }
        }
        return List.of();
    }

    static Map<String, List<String>> byVolume(List<ContainerSummary> containers) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (ContainerSummary c : containers) {
            for (ContainerSummary.Mount m : c.mounts()) {
                if ("volume".equals(m.type()) && m.name() != null && !m.name().isEmpty()) {
                    out.computeIfAbsent(m.name(), k -> new TreeSet<>()).add(name(c));
                }
            }
        }
        return frozen(out);
    }

    /** Container names by the ID of the image they were made from, sorted: the images view's index (by ImageSummary). */
    public static Map<String, List<String>> byImage(List<ContainerSummary> containers) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (ContainerSummary c : containers) {
            if (c.imageId() != null && !c.imageId().isEmpty()) {
                out.computeIfAbsent(c.imageId(), k -> new TreeSet<>()).add(name(c));
            }
        }
        return frozen(out);
    }

    static Map<String, List<String>> byNetwork(List<ContainerSummary> containers) {
        Map<String, TreeSet<String>> out = new TreeMap<>();
        for (ContainerSummary c : containers) {
            JsonNode networks = c.networkSettings() == null ? null : c.networkSettings().path("Networks");
            if (networks == null || !networks.isObject()) {
                continue;
            }
            networks.properties().forEach(e -> {
                out.computeIfAbsent(e.getKey(), k -> new TreeSet<>()).add(name(c));
                String id = e.getValue().path("NetworkID").asText("");
                if (!id.isEmpty()) {
                    out.computeIfAbsent(id, k -> new TreeSet<>()).add(name(c));
                }
            });
        }
        return frozen(out);
    }

    private static String name(ContainerSummary c) {
        return c.names().isEmpty() ? c.id().substring(0, Math.min(12, c.id().length())) : c.names().get(0).replaceFirst("^/", "");
    }

    private static Map<String, List<String>> frozen(Map<String, TreeSet<String>> m) {
        Map<String, List<String>> out = new TreeMap<>();
        m.forEach((k, v) -> out.put(k, List.copyOf(new ArrayList<>(v))));
        return Map.copyOf(out);
    }
}
