package dev.berth.registry;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.util.List;
import java.util.Locale;

/**
 * Finds repositories by name on a registry that refuses to list its catalog. Docker Hub's search
 * lives outside the distribution API (the CLI's {@code docker search} uses the index's v1 search), so
 * it is a plug-in rather than part of {@link RegistryBrowser}.
 */
@FunctionalInterface
public interface RepositorySearch {
    /** Up to {@code limit} repository names (as the registry knows them) matching {@code query}. */
    List<String> search(String query, int limit);

    /** For registries with no search: says so plainly. */
    static RepositorySearch unavailable(String registry) {
        return (query, limit) -> {
            throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, registry
                    + " does not list its repositories and offers no search; type the repository name instead");
        };
    }

    /** Substring search over the catalog, for registries that do list it. */
    static RepositorySearch overCatalog(RegistryClient client) {
        return (query, limit) -> {
            String q = query.toLowerCase(Locale.ROOT);
            return client.catalog(RegistryBrowser.PAGE_SIZE, null).stream()
                    .filter(r -> r.toLowerCase(Locale.ROOT).contains(q)).limit(limit).toList();
        };
    }
}
