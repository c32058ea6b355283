package dev.berth.desktop.containers;

import dev.berth.engine.client.model.ContainerSummary;

import java.util.List;
import java.util.stream.Collectors;

/** One line of the containers table, from the engine's list entry. */
public record ContainerRow(String id, String name, String image, String state, String status, List<ContainerSummary.Port> ports,
                           String project, long created) {
    public static final String COMPOSE_PROJECT = "com.docker.compose.project";

    public static ContainerRow of(ContainerSummary s) {
        String name = s.names().isEmpty() ? s.id().substring(0, Math.min(12, s.id().length())) : s.names().get(0).replaceFirst("^/", "");
        return new ContainerRow(s.id(), name, s.image(), s.state(), s.status(), s.ports(),
                s.labels().getOrDefault(COMPOSE_PROJECT, ""), s.created());
    }

    public String shortId() {
        return id.substring(0, Math.min(12, id.length()));
    }

    /** Published ports as docker ps prints them, e.g. {@code 0.0.0.0:8080->80/tcp}. */
    public String portsText() {
        return ports.stream().map(p -> p.publicPort() > 0
                        ? (p.ip() == null || p.ip().isEmpty() ? "" : p.ip() + ":") + p.publicPort() + "->" + p.privatePort() + "/" + p.type()
                        : p.privatePort() + "/" + p.type())
                .distinct().collect(Collectors.joining(", "));
    }

    /** Whether text filters this row in: name, image, id prefix, state or project contain it. */
    public boolean matches(String filter) {
        if (filter == null || filter.isBlank()) {
            return true;
        }
        String f = filter.strip().toLowerCase();
        return name.toLowerCase().contains(f) || image.toLowerCase().contains(f) || id.startsWith(f)
                || state.toLowerCase().contains(f) || project.toLowerCase().contains(f);
    }
}
