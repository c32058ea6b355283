package dev.berth.desktop.containers;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Compose grouping in the containers table: one header row per {@code com.docker.compose.project},
 * followed by that project's containers; containers without the label come first, ungrouped. A header
 * is a {@link ContainerRow} whose id starts with {@link #HEADER_PREFIX}; acting on it acts on all its
 * containers.
 */
public final class ContainerGroups {
    public static final String HEADER_PREFIX = "compose-project:";

    private ContainerGroups() {
    }

    public static boolean isHeader(ContainerRow r) {
        return r.id().startsWith(HEADER_PREFIX);
    }

    /** The containers grouped by project, in first-seen order. */
    public static Map<String, List<ContainerRow>> byProject(List<ContainerRow> rows) {
        Map<String, List<ContainerRow>> out = new LinkedHashMap<>();
        for (ContainerRow r : rows) {
            if (!r.project().isEmpty() && !isHeader(r)) {
                out.computeIfAbsent(r.project(), k -> new ArrayList<>()).add(r);
            }
        }
        return out;
    }

    /** The project's header row: state "running" while any member runs, status "2 of 3 running". */
    public static ContainerRow header(String project, List<ContainerRow> members) {
        long running = members.stream().filter(m -> "running".equals(m.state())).count();
        long created = members.stream().mapToLong(ContainerRow::created).max().orElse(0);
        String state = running > 0 ? "running" : "exited";
        return new ContainerRow(HEADER_PREFIX + project, project, members.size() + " containers", state,
                running + " of " + members.size() + " running", List.of(), project, created);
    }

    /** The rows plus one header per project, just before the project's first member. */
    public static List<ContainerRow> withHeaders(List<ContainerRow> rows) {
        Map<String, List<ContainerRow>> groups = byProject(rows);
        List<ContainerRow> out = new ArrayList<>(rows.size() + groups.size());
        Set<String> done = new java.util.HashSet<>();
        for (ContainerRow r : rows) {
            if (!r.project().isEmpty() && done.add(r.project())) {
                out.add(header(r.project(), groups.get(r.project())));
            }
            out.add(r);
        }
        return out;
    }

    /**
     * Keeps each project's header first and its members right after it, whatever column the user sorts
     * by: the column's order applies among the ungrouped rows and inside each project.
     */
    public static Comparator<ContainerRow> comparator(Comparator<ContainerRow> within) {
        Comparator<ContainerRow> inner = within != null ? within
                : Comparator.comparingLong(ContainerRow::created).reversed();
        return Comparator.comparing(ContainerRow::project)
                .thenComparing(r -> !isHeader(r))
                .thenComparing(inner);
    }

    /** The container ids an action on {@code ids} means: a header stands for every member of its project. */
    public static List<String> expand(List<String> ids, List<ContainerRow> rows) {
        Map<String, List<ContainerRow>> groups = byProject(rows);
        Set<String> out = new java.util.LinkedHashSet<>();
        for (String id : ids) {
            if (id.startsWith(HEADER_PREFIX)) {
                groups.getOrDefault(id.substring(HEADER_PREFIX.length()), List.of()).forEach(m -> out.add(m.id()));
            } else {
                out.add(id);
            }
        }
        return List.copyOf(out);
    }
}
