package dev.berth.engine.containers;

import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code GET /containers/json}'s {@code all}, {@code limit} and {@code filters} applied to the
 * summaries, as moby's daemon/list.go does: a limit (docker ps -n/-l) or a status/exited filter
 * implies all, the newest come first, and values of one key are ORed while keys are ANDed.
 */
public final class ContainerListQuery {
    private static final Set<String> STATES = Set.of("paused", "restarting", "removing", "running", "dead", "created",
            "exited");
    private static final Set<String> KEYS = Set.of("id", "name", "label", "status", "exited", "ancestor", "before",
            "since", "volume", "network", "health", "isolation", "is-task", "publish", "expose");

    private ContainerListQuery() {
    }

    /** Whether stopped containers must be listed too. */
    public static boolean includesStopped(boolean all, int limit, Map<String, List<String>> filters) {
        return all || limit > 0 || filters.containsKey("status") || filters.containsKey("exited");
    }

    /** For callers that already left out what {@code all} excludes; ancestors match by name and id only. */
    public static List<Map<String, Object>> apply(List<Map<String, Object>> summaries, int limit,
                                                  Map<String, List<String>> filters) {
        return apply(summaries, true, limit, filters, null);
    }

    /**
     * @param summaries every container, stopped ones too: before and since refer to any of them
     * @param all       whether stopped containers are listed (already folded with limit, status, exited)
     * @param ancestors the ids of an image and of the images built on it, empty when there is no
     *                  such image; null to match ancestor by the summary's Image and ImageID only
     */
    public static List<Map<String, Object>> apply(List<Map<String, Object>> summaries, boolean all, int limit,
                                                  Map<String, List<String>> filters,
                                                  Function<String, Set<String>> ancestors) {
        for (String k : filters.keySet()) {
            if (!KEYS.contains(k)) {
                throw BerthException.invalid("invalid filter '" + k + "'");
            }
        }
        for (String st : filters.getOrDefault("status", List.of())) {
            if (!STATES.contains(st)) {
                // moby's container.IsValidStateString
                throw BerthException.invalid("invalid filter 'status=" + st + "'");
            }
        }
        for (String h : filters.getOrDefault("health", List.of())) {
            if (!HEALTH.contains(h)) {
                throw BerthException.invalid("Unrecognised filter value for health: " + h);
            }
        }
        Set<String> publish = ports(filters.getOrDefault("publish", List.of()));
        Set<String> expose = ports(filters.getOrDefault("expose", List.of()));
        Set<String> images = null;
        if (filters.containsKey("ancestor") && ancestors != null) {
            images = new HashSet<>();
            for (String a : filters.get("ancestor")) {
                images.addAll(ancestors.apply(a));
            }
        }
        // Stable sort: the caller's order (newest first at full precision) breaks ties of whole seconds.
        List<Map<String, Object>> sorted = new ArrayList<>(summaries);
        sorted.sort((a, b) -> Long.compare(((Number) b.get("Created")).longValue(), ((Number) a.get("Created")).longValue()));
        String before = reference(sorted, filters.get("before"));
        String since = reference(sorted, filters.get("since"));
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> c : sorted) {
            String id = (String) c.get("Id");
            // moby's includeContainerInList: before and since walk every container, in order, first.
            if (before != null) {
                if (id.equals(before)) {
                    before = null;
                }
                continue;
            }
            if (id.equals(since)) {
                break;
            }
            if (!all && !RUNNING.contains(String.valueOf(c.get("State")))) {
                continue;
            }
            if (matches(c, filters, images) && portsMatch(c, publish, expose)) {
                out.add(c);
                if (limit > 0 && out.size() == limit) {
                    break;
                }
            }
        }
        return out;
    }

    private static final Set<String> HEALTH = Set.of("starting", "healthy", "unhealthy", "none");
    /** States moby counts as Running (a paused container is still running). */
    private static final Set<String> RUNNING = Set.of("running", "paused", "restarting", "removing");

    /** moby's daemon.GetContainer for before/since: full id, name, then a unique id prefix; the last value wins. */
    @SuppressWarnings("unchecked")
    private static String reference(List<Map<String, Object>> all, List<String> values) {
        if (values == null || values.isEmpty()) {
            return null;
        }
        String ref = values.getLast();
        for (Map<String, Object> c : all) {
            if (ref.equals(c.get("Id")) || ((List<String>) c.get("Names")).contains("/" + ref.replaceFirst("^/", ""))) {
                return (String) c.get("Id");
            }
        }
        List<String> byPrefix = all.stream().map(c -> (String) c.get("Id")).filter(i -> !ref.isEmpty() && i.startsWith(ref)).toList();
        if (byPrefix.size() == 1) {
            return byPrefix.getFirst();
        }
        throw BerthException.notFound("No such container: " + ref);
    }

    /** "80", "80/udp", "8000-8010/tcp" as moby's nat.ParsePortRangeToInt expands them: "port/proto" each. */
    static Set<String> ports(List<String> values) {
        Set<String> out = new HashSet<>();
        for (String v : values) {
            String proto = "tcp";
            String range = v;
            int slash = v.indexOf('/');
            if (slash >= 0) {
                proto = v.substring(slash + 1).toLowerCase(java.util.Locale.ROOT);
                range = v.substring(0, slash);
            }
            Matcher m = RANGE.matcher(range);
            if (!m.matches() || proto.isEmpty()) {
                throw BerthException.invalid("invalid port range: " + v);
            }
            int lo = Integer.parseInt(m.group(1));
            int hi = m.group(2) == null ? lo : Integer.parseInt(m.group(2));
            if (lo < 0 || hi > 65535 || hi < lo) {
                throw BerthException.invalid("invalid port range: " + v);
            }
            for (int p = lo; p <= hi; p++) {
                out.add(p + "/" + proto);
            }
        }
        return out;
    }

    private static final Pattern RANGE = Pattern.compile("(\\d{1,5})(?:-(\\d{1,5}))?");

    /** moby: a container passes when one of its ports is a published one asked for, or an exposed one asked for. */
    @SuppressWarnings("unchecked")
    private static boolean portsMatch(Map<String, Object> c, Set<String> publish, Set<String> expose) {
        if (publish.isEmpty() && expose.isEmpty()) {
            return true;
        }
        for (Map<String, Object> p : (List<Map<String, Object>>) c.getOrDefault("Ports", List.of())) {
            String type = String.valueOf(p.get("Type"));
            Object pub = p.get("PublicPort");
            if (pub instanceof Number n && publish.contains(n.intValue() + "/" + type)) {
                return true;
            }
            if (p.get("PrivatePort") instanceof Number n && expose.contains(n.intValue() + "/" + type)) {
                return true;
            }
        }
        return false;
    }

    @SuppressWarnings("unchecked")
    private static boolean matches(Map<String, Object> c, Map<String, List<String>> filters, Set<String> images) {
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
                    case "ancestor" -> images != null ? images.contains(String.valueOf(c.get("ImageID")))
                            : v.equals(c.get("Image")) || v.equals(c.get("ImageID"))
                            || String.valueOf(c.get("ImageID")).startsWith("sha256:" + v)
                            || (!v.contains(":") && (v + ":latest").equals(c.get("Image")));
                    case "volume" -> ((List<Map<String, Object>>) c.getOrDefault("Mounts", List.of())).stream()
                            .anyMatch(m -> v.equals(m.get("Name")) || v.equals(m.get("Source")) || v.equals(m.get("Destination")));
                    case "network" -> network(c, v);
                    case "health" -> v.equals(health(status));
                    // handled outside (before, since, publish, expose) or meaningless here (isolation, is-task)
                    default -> true;
                };
            }
            if (!any) {
                return false;
            }
        }
        return true;
    }

    /** moby: the network's name exactly, or a prefix of its id. */
    @SuppressWarnings("unchecked")
    private static boolean network(Map<String, Object> c, String v) {
        Object ns = c.get("NetworkSettings");
        if (!(ns instanceof Map<?, ?> settings)) {
            return false;
        }
        Object nets = settings.get("Networks");
        Map<String, Object> networks;
        if (nets instanceof Map<?, ?> m) {
            networks = (Map<String, Object>) m;
        } else if (nets instanceof com.fasterxml.jackson.databind.JsonNode j && j.isObject()) {
            networks = new java.util.LinkedHashMap<>();
            j.properties().forEach(e -> networks.put(e.getKey(), e.getValue()));
        } else {
            return false;
        }
        if (networks.containsKey(v)) {
            return true;
        }
        for (Object n : networks.values()) {
            String nid = n instanceof Map<?, ?> nm ? String.valueOf(nm.get("NetworkID"))
                    : n instanceof com.fasterxml.jackson.databind.JsonNode j ? j.path("NetworkID").asText("") : "";
            if (!v.isEmpty() && nid.startsWith(v)) {
                return true;
            }
        }
        return false;
    }

    /** The health Docker appends to Status: "(healthy)", "(unhealthy)", "(health: starting)", or none. */
    static String health(String status) {
        if (status.endsWith("(healthy)")) {
            return "healthy";
        }
        if (status.endsWith("(unhealthy)")) {
            return "unhealthy";
        }
        if (status.endsWith("(health: starting)")) {
            return "starting";
        }
        return "none";
    }

    private static boolean label(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }
}
