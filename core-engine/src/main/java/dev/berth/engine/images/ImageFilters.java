package dev.berth.engine.images;

import dev.berth.engine.network.NetworkFilters;
import dev.berth.errors.BerthException;
import dev.berth.images.manifest.ImageConfig;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/** Docker's image list filters: reference, dangling, label, before, since; for prune also until and label!. */
final class ImageFilters {
    private ImageFilters() {
    }

    static Predicate<ImageRecord> compile(Map<String, List<String>> filters, ImageService service) {
        return compile(filters, service, false);
    }

    /**
     * Prune's filters (moby's ImagesPrune) take {@code until}, by the image's creation time (each
     * value resolved now, so a bad one is a 400 before anything goes), and {@code label!} too.
     */
    static Predicate<ImageRecord> compileForPrune(Map<String, List<String>> filters, ImageService service) {
        return compile(filters, service, true);
    }

    private static Predicate<ImageRecord> compile(Map<String, List<String>> filters, ImageService service, boolean prune) {
        Predicate<ImageRecord> p = r -> true;
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            if (values.isEmpty()) {
                continue;
            }
            if (prune && f.getKey().equals("until")) {
                List<Instant> limits = values.stream().map(NetworkFilters::untilLimit).toList();
                p = p.and(r -> limits.stream().allMatch(createdAt(r)::isBefore));
                continue;
            }
            if (prune && f.getKey().equals("label!")) {
                p = p.and(r -> values.stream().noneMatch(v -> hasLabel(service.config(r), v)));
                continue;
            }
            p = p.and(switch (f.getKey()) {
                case "reference" -> r -> values.stream().anyMatch(v -> matchesReference(v, service.familiarTags(r)));
                case "dangling" -> {
                    boolean want = danglingWanted(filters, false);
                    yield r -> r.tags().isEmpty() == want;
                }
                case "label" -> r -> values.stream().allMatch(v -> hasLabel(service.config(r), v));
                case "before" -> {
                    long t = service.require(values.getFirst()).loadedAtMillis();
                    yield r -> r.loadedAtMillis() < t;
                }
                case "since" -> {
                    long t = service.require(values.getFirst()).loadedAtMillis();
                    yield r -> r.loadedAtMillis() > t;
                }
                default -> throw BerthException.invalid("invalid filter '" + f.getKey() + "'");
            });
        }
        return p;
    }

    /** The {@code dangling} filter's value as Docker reads it ("1" or a Go boolean), {@code absent} without one. */
    static boolean danglingWanted(Map<String, List<String>> filters, boolean absent) {
        List<String> values = filters.getOrDefault("dangling", List.of());
        return values.isEmpty() ? absent : values.getFirst().equals("1") || Boolean.parseBoolean(values.getFirst());
    }

    /** Docker matches the pattern against the familiar name and against name:tag, with Go's path.Match. */
    private static boolean matchesReference(String pattern, List<String> familiarTags) {
        Pattern m = goPathMatch(pattern);
        for (String t : familiarTags) {
            int colon = t.lastIndexOf(':');
            String name = colon > t.lastIndexOf('/') ? t.substring(0, colon) : t;
            if (m.matcher(t).matches() || m.matcher(name).matches()) {
                return true;
            }
        }
        return false;
    }

    /** Go's path.Match as a regex: {@code *} and {@code ?} never cross a slash; {@code [..]} is a class. */
    static Pattern goPathMatch(String glob) {
        StringBuilder re = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            switch (c) {
                case '*' -> re.append("[^/]*");
                case '?' -> re.append("[^/]");
                case '[' -> {
                    int end = glob.indexOf(']', i + 1);
                    if (end < 0) {
                        throw BerthException.invalid("invalid reference filter \"" + glob + "\": syntax error in pattern");
                    }
                    String cls = glob.substring(i + 1, end);
                    re.append('[').append(cls.startsWith("^") ? "^" + Pattern.quote(cls.substring(1)) : Pattern.quote(cls)).append(']');
                    i = end;
                }
                case '\\' -> {
                    if (i + 1 < glob.length()) {
                        re.append(Pattern.quote(String.valueOf(glob.charAt(++i))));
                    }
                }
                default -> re.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(re.toString());
    }

    /** The config's creation time; an image without one counts as the oldest. */
    private static Instant createdAt(ImageRecord r) {
        try {
            return r.created() == null || r.created().isEmpty() ? Instant.EPOCH : Instant.parse(r.created());
        } catch (java.time.format.DateTimeParseException e) {
            return Instant.EPOCH;
        }
    }

    private static boolean hasLabel(ImageConfig cfg, String filter) {
        Map<String, String> labels = cfg.config() == null || cfg.config().labels() == null ? Map.of() : cfg.config().labels();
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }
}
