package dev.berth.engine.images;

import dev.berth.errors.BerthException;
import dev.berth.images.manifest.ImageConfig;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/** Docker's image list filters: reference, dangling, label, before, since. */
final class ImageFilters {
    private ImageFilters() {
    }

    static Predicate<ImageRecord> compile(Map<String, List<String>> filters, ImageService service) {
        Predicate<ImageRecord> p = r -> true;
        for (Map.Entry<String, List<String>> f : filters.entrySet()) {
            List<String> values = f.getValue();
            if (values.isEmpty()) {
                continue;
            }
            p = p.and(switch (f.getKey()) {
                case "reference" -> r -> values.stream().anyMatch(v -> matchesReference(v, service.familiarTags(r)));
                case "dangling" -> {
                    boolean want = values.getFirst().equals("1") || Boolean.parseBoolean(values.getFirst());
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

    /** Docker matches the pattern against the familiar name and against name:tag, as path globs. */
    private static boolean matchesReference(String pattern, List<String> familiarTags) {
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
        for (String t : familiarTags) {
            int colon = t.lastIndexOf(':');
            String name = colon > t.lastIndexOf('/') ? t.substring(0, colon) : t;
            if (m.matches(Path.of(t)) || m.matches(Path.of(name))) {
                return true;
            }
        }
        return false;
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
