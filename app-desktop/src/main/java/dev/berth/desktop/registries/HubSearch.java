package dev.berth.desktop.registries;

import dev.berth.registry.IndexSearch;
import dev.berth.registry.RepositorySearch;

import java.net.URI;
import java.time.Duration;
import java.util.List;

/**
 * Docker Hub's repository search for the registries view, over core-registry's {@link IndexSearch}
 * (the client the engine's {@code docker search} uses too). Hub refuses the distribution catalog, so
 * this is how its repositories are found by name. Official images come back without a namespace
 * ({@code busybox}); they are returned as the registry API names them ({@code library/busybox}),
 * ready for their tags.
 */
public final class HubSearch implements RepositorySearch {
    /** Docker Hub's index search endpoint. */
    public static final URI DOCKER_HUB_INDEX = URI.create(IndexSearch.DOCKER_HUB_INDEX + "/v1/search");

    private final URI index;
    private final IndexSearch client;

    /** @param endpoint the index's {@code …/v1/search} URL */
    HubSearch(URI endpoint, Duration timeout) {
        String s = endpoint.toString();
        this.index = URI.create(s.endsWith("/v1/search") ? s.substring(0, s.length() - "/v1/search".length()) : s);
        this.client = new IndexSearch(timeout, Duration.ofSeconds(20));
    }

    public static HubSearch dockerHub() {
        return new HubSearch(DOCKER_HUB_INDEX, Duration.ofSeconds(10));
    }

    @Override
    public List<String> search(String query, int limit) {
        return client.search(index, query, limit, null).stream()
                .map(IndexSearch.Result::name)
                .limit(Math.max(0, limit))
                .map(name -> name.contains("/") ? name : "library/" + name)
                .toList();
    }
}
