package dev.berth.engine.network;

import dev.berth.errors.BerthException;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/** Docker's network filters: name and id (regular expressions, so substrings match), label, driver, type; until and label for prune. */
public final class NetworkFilters {
    private NetworkFilters() {
    }

    /** @param inUse whether a network has endpoints, for {@code dangling} */
    static Predicate<NetworkService.Net> compile(Map<String, List<String>> filters, Predicate<NetworkService.Net> inUse) {
        Predicate<NetworkService.Net> p = n -> true;
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            if (values.isEmpty()) {
                continue;
            }
            p = p.and(switch (f.getKey()) {
                case "name" -> n -> values.stream().anyMatch(v -> regex(v).matcher(n.name()).find());
                case "id" -> n -> values.stream().anyMatch(v -> regex(v).matcher(n.id()).find());
                case "driver" -> n -> values.contains(n.driver());
                case "label" -> n -> labels(Map.of("label", values), n.userDefined() ? n.record().labels() : Map.of());
                case "type" -> {
                    for (String v : values) {
                        if (!v.equals("custom") && !v.equals("builtin")) {
                            throw BerthException.invalid("invalid filter: 'type'='" + v + "'");
                        }
                    }
                    yield n -> values.contains(n.userDefined() ? "custom" : "builtin");
                }
                case "scope" -> n -> values.contains("local");
                case "dangling" -> {
                    boolean want = values.getFirst().equals("1") || Boolean.parseBoolean(values.getFirst());
                    // Docker counts the predefined networks as never dangling.
                    yield n -> want == (n.userDefined() && !inUse.test(n));
                }
                default -> throw BerthException.invalid("invalid filter '" + f.getKey() + "'");
            });
        }
        return p;
    }

    private static Pattern regex(String v) {
        try {
            return Pattern.compile(v);
        } catch (PatternSyntaxException e) {
            return Pattern.compile(Pattern.quote(v));
        }
    }

    /** {@code label=k} / {@code label=k=v} must all hold; {@code label!=…} must all not. */
    public static boolean labels(Map<String, List<String>> filters, Map<String, String> labels) {
        for (String v : filters.getOrDefault("label", List.of())) {
            if (!hasLabel(labels, v)) {
                return false;
            }
        }
        for (String v : filters.getOrDefault("label!", List.of())) {
            if (hasLabel(labels, v)) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasLabel(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    /** {@code until}: a Unix timestamp, an RFC 3339 time or a Go duration such as {@code 10m} or {@code 1h30m} before now. */
    public static boolean until(Map<String, List<String>> filters, Instant created) {
        for (String v : filters.getOrDefault("until", List.of())) {
            if (!created.isBefore(untilLimit(v))) {
                return false;
            }
        }
        return true;
    }

    /** One {@code until} value as the instant it names; Docker's 400 when it names none. */
    public static Instant untilLimit(String v) {
        try {
            if (v.matches("\\d+(\\.\\d+)?")) {
                return Instant.ofEpochMilli((long) (Double.parseDouble(v) * 1000));
            }
            if (v.matches("[0-9.]+(ns|us|µs|ms|s|m|h).*")) {
                // a Go duration before now, as docker's filters take it: "24h", "1h30m", "90s"
                return Instant.now().minus(dev.berth.images.dockerfile.GoDuration.parse(v));
            }
            return Instant.parse(v);
        } catch (RuntimeException e) {
            throw BerthException.invalid("invalid until filter: " + v);
        }
    }
}
