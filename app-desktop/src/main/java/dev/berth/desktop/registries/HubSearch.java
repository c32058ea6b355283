package dev.berth.desktop.registries;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import dev.berth.registry.RepositorySearch;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker Hub's repository search, the one {@code docker search} uses (the index's
 * {@code GET /v1/search?q=…&n=…}, answering {@code {"results":[{"name":…},…]}}). Hub refuses the
 * distribution catalog, so this is how its repositories are found by name. Official images come back
 * without a namespace ({@code busybox}); they are returned as the registry API names them
 * ({@code library/busybox}), ready for their tags.
 */
public final class HubSearch implements RepositorySearch {
    /** Docker Hub's index, as the docker engine's registry service calls it. */
    public static final URI DOCKER_HUB_INDEX = URI.create("https://index.docker.io/v1/search");
    private static final int MAX_BYTES = 2 * 1024 * 1024;

    private final URI endpoint;
    private final HttpClient http;

    HubSearch(URI endpoint, Duration timeout) {
        this.endpoint = endpoint;
        this.http = HttpClient.newBuilder().connectTimeout(timeout).followRedirects(HttpClient.Redirect.NORMAL).build();
    }

    public static HubSearch dockerHub() {
        return new HubSearch(DOCKER_HUB_INDEX, Duration.ofSeconds(10));
    }

    @Override
    public List<String> search(String query, int limit) {
        int n = Math.max(1, Math.min(100, limit));
        URI uri = URI.create(endpoint + "?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&n=" + n);
        HttpResponse<byte[]> r;
        try {
            r = http.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(20)).header("Accept", "application/json")
                    .GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "cannot reach Docker Hub's search at " + endpoint.getHost()
                    + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCategory.UNAVAILABLE, "Docker Hub search interrupted", e);
        }
        if (r.statusCode() == 429) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "toomanyrequests: Docker Hub's search is rate limiting you; "
                    + "wait a while and search again");
        }
        if (r.statusCode() != 200) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "Docker Hub's search answered HTTP " + r.statusCode());
        }
        if (r.body().length > MAX_BYTES) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "Docker Hub's search answer is too large");
        }
        List<String> out = new ArrayList<>();
        try {
            JsonNode results = Json.MAPPER.readTree(r.body()).path("results");
            for (JsonNode result : results) {
                String name = result.path("name").asText("");
                if (!name.isEmpty() && out.size() < limit) {
                    out.add(name.contains("/") ? name : "library/" + name);
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "Docker Hub's search answered something unreadable", e);
        }
        return out;
    }
}
