package dev.berth.engine.images;

import dev.berth.errors.BerthException;
import dev.berth.registry.Credential;
import dev.berth.registry.IndexSearch;
import dev.berth.registry.RegistryOptions;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code GET /images/search}: the term goes to its registry index through core-registry's
 * {@link IndexSearch}; the {@code is-official}, {@code is-automated} and {@code stars} filters and the
 * limit are applied here, as moby's {@code registry.Service.Search} does.
 */
public final class ImageSearch {
    private static final Set<String> FILTERS = Set.of("is-automated", "is-official", "stars");
    private final RegistryOptions options;
    private final IndexSearch client = new IndexSearch(Duration.ofSeconds(10), Duration.ofSeconds(20));

    public ImageSearch(RegistryOptions options) {
        this.options = options;
    }

    public List<Map<String, Object>> search(String term, int limit, Map<String, List<String>> filters, Credential credential) {
        if (limit < 1 || limit > 100) {
            throw BerthException.invalid("limit " + limit + " is outside the range of [1, 100]");
        }
        for (String key : filters.keySet()) {
            if (!FILTERS.contains(key)) {
                throw BerthException.invalid("invalid filter '" + key + "'");
            }
        }
        Boolean automated = bool(filters, "is-automated");
        Boolean official = bool(filters, "is-official");
        int stars = 0;
        for (String s : filters.getOrDefault("stars", List.of())) {
            try {
                stars = Math.max(stars, Integer.parseInt(s));
            } catch (NumberFormatException e) {
                throw BerthException.invalid("invalid filter 'stars=" + s + "'");
            }
        }
        // Filtering happens after the index answers: ask for the most it gives, then keep `limit`.
        boolean filtered = automated != null || official != null || stars > 0;
        List<IndexSearch.Result> found = client.search(term, filtered ? 100 : limit, credential, options.insecureRegistries());
        List<Map<String, Object>> out = new ArrayList<>();
        for (IndexSearch.Result r : found) {
            if (automated != null && r.automated() != automated || official != null && r.official() != official
                    || r.starCount() < stars) {
                continue;
            }
            out.add(r.toJson());
            if (out.size() >= limit) {
                break;
            }
        }
        return out;
    }

    private static Boolean bool(Map<String, List<String>> filters, String key) {
        List<String> v = filters.get(key);
        if (v == null || v.isEmpty()) {
            return null;
        }
        String s = v.getLast();
        return switch (s.toLowerCase(java.util.Locale.ROOT)) {
            case "true", "1" -> true;
            case "false", "0" -> false;
            default -> throw BerthException.invalid("invalid filter '" + key + "=" + s + "'");
        };
    }
}
