package dev.berth.engine.containers;

import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /containers/json}'s {@code all}, {@code limit} and {@code filters} applied to the
 * summaries, as moby's daemon/list.go does: a limit (docker ps -n/-l) or a status/exited filter
 * implies all, the newest come first, and values of one key are ORed while keys are ANDed.
 */
public final class ContainerListQuery {
    private static final Set<String> KEYS = Set.of("id", "name", "label", "status", "exited", "ancestor", "before",
            "since", "volume", "network", "health", "isolation", "is-task", "publish", "expose");

    private ContainerListQuery() {
    }

    /** Whether stopped containers must be listed too. */
    public static boolean includesStopped(boolean all, int limit, Map<String, List<String>> filters) {
        return all || limit > 0 || filters.containsKey("status") || filters.containsKey("exited");
    }

    @SuppressWarnings("unchecked")
    public static List<Map<String, Object>> apply(List<Map<String, Object>> summaries, int limit,
                                                  Map<String, List<String>> filters) {
        for (String k : filters.keySet()) {
            if (!KEYS.contains(k)) {
                throw BerthException.invalid("invalid filter '" + k + "'");
            }
        }
        List<Map<String, Object>> sorted = new ArrayList<>(summaries);
        sorted.sort((a, b) -> Long.compare(((Number) b.get("Created")).longValue(), ((Number) a.get("Created")).longValue()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : sorted) {
            if (matches(c, filters)) {
                out.add(c);
                if (limit > 0 && out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> c, Map<String, List<String>> filters) {
        String id = (String) c.get("Id");
        List<String> names = (List<String>) c.get("Names");
        Map<String, String> labels = (Map<String, String>) c.getOrDefault("Labels", Map.of());
        String state = (String) c.get("State");
        String status = String.valueOf(c.get("Status"));
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            boolean any = false;
            for (String v : f.getValue()) {
                any |= switch (f.getKey()) {
                    case "id" -> id.startsWith(v);
                    // moby matches names as a regular expression against "/name"
                    case "name" -> names.stream().anyMatch(n -> java.util.regex.Pattern.compile(v).matcher(n).find());
                    case "label" -> label(labels, v);
                    case "status" -> v.equals(state);
                    case "exited" -> "exited".equals(state) && status.startsWith("Exited (" + v + ")");
                    case "ancestor" -> v.equals(c.get("Image")) || v.equals(c.get("ImageID"))
                            || String.valueOf(c.get("ImageID")).startsWith("sha256:" + v)
                            || (!v.contains(":") && (v + ":latest").equals(c.get("Image")));
                    // the rest are accepted and not (yet) narrowed here
                    default -> true;
                };
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    private static boolean label(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }
}
