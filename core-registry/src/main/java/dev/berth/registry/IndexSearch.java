package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.net.ssl.SSLContext;

/**
 * A registry index's repository search, {@code GET /v1/search?q=…&n=…} answering
 * {@code {"results":[{"name","description","star_count","is_official","is_automated"}]}}: what
 * {@code docker search} asks Docker Hub's index (or the registry named in the term, as moby's
 * {@code registry/search.go} splits it). Shared by the engine's {@code GET /images/search} and the
 * desktop's Hub search. Bounded by a connect and a request timeout, so a dead index is an error, not a hang.
 */
public final class IndexSearch {
    /** Docker Hub's index, as the docker engine's registry service calls it. */
    public static final URI DOCKER_HUB_INDEX = URI.create("https://index.docker.io");
    private static final int MAX_BYTES = 2 * 1024 * 1024;

    public record Result(String name, String description, int starCount, boolean official, boolean automated) {
        /** The engine API's shape (moby's {@code registry.SearchResult}). */
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("star_count", starCount);
            m.put("is_official", official);
            m.put("name", name);
            m.put("is_automated", automated);
            m.put("description", description);
            return m;
        }
    }

    /** Where a search term goes: the index's base URI (no path) and the name to search for there. */
    public record Target(String index, String query) {
    }

    /** Insecure indexes found to speak plain HTTP only (dockerd pings its v1 endpoints the same way). */
    private static final Map<String, String> PLAIN_HTTP = new java.util.concurrent.ConcurrentHashMap<>();
    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(3);

    private final HttpClient http;
    private final Duration timeout;
    /**
     * The HTTPS attempt at an insecure index, short (plain HTTP is tried next) and unverified, as
     * dockerd skips verification for insecure registries: a self-signed index answers over TLS. Built
     * on first use: each HttpClient holds a selector thread and an epoll fd for its whole life, and a
     * client that only searches Docker Hub (the desktop's) never needs one.
     */
    private volatile IndexSearch probe;

    public IndexSearch(Duration connectTimeout, Duration timeout) {
        this(connectTimeout, timeout, null);
    }

    /** @param insecureTls null for a verifying client that has an unverified probe; else the probe itself */
    private IndexSearch(Duration connectTimeout, Duration timeout, SSLContext insecureTls) {
        HttpClient.Builder b = HttpClient.newBuilder().connectTimeout(connectTimeout).followRedirects(HttpClient.Redirect.NORMAL);
        if (insecureTls != null) {
            b.sslContext(insecureTls);
        }
        this.http = b.build();
        this.timeout = timeout;
        this.probe = insecureTls == null ? null : this;
    }

    private IndexSearch probe() {
        IndexSearch p = probe;
        if (p == null) {
            synchronized (this) {
                p = probe;
                if (p == null) {
                    p = new IndexSearch(PROBE_TIMEOUT, PROBE_TIMEOUT, InsecureTls.context());
                    probe = p;
                }
            }
        }
        return p;
    }

    /**
     * moby's {@code splitReposSearchTerm}: {@code host[:port]/name} searches that registry's index for
     * {@code name}; anything else searches Docker Hub for the whole term.
     */
    public static Target target(String term) {
        int slash = term.indexOf('/');
        if (slash > 0) {
            String first = term.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return new Target(RegistryHosts.isDockerHub(first) ? "docker.io" : first, term.substring(slash + 1));
            }
        }
        return new Target("docker.io", term);
    }

    /**
     * Searches the index named by {@code term}. An insecure registry (loopback or listed) is tried over
     * HTTPS first and then plain HTTP, as dockerd's v1 endpoint does.
     */
    public List<Result> search(String term, int limit, Credential credential, Set<String> insecureRegistries) {
        Target t = target(term);
        if (t.index().equals("docker.io")) {
            return search(DOCKER_HUB_INDEX, t.query(), limit, credential);
        }
        boolean insecure = RegistryHosts.isInsecure(t.index(), insecureRegistries);
        if (insecure && "http".equals(PLAIN_HTTP.get(t.index()))) {
            return search(URI.create("http://" + t.index()), t.query(), limit, credential);
        }
        try {
            return search(insecure ? probe() : this, URI.create("https://" + t.index()), t.query(), limit, credential);
        } catch (BerthException e) {
            if (!insecure || !(e.getCause() instanceof IOException)) {
                throw e;
            }
            List<Result> found = search(URI.create("http://" + t.index()), t.query(), limit, credential);
            // A plain-HTTP index can stall a TLS handshake until the timeout: ask it over HTTP from now on.
            PLAIN_HTTP.put(t.index(), "http");
            return found;
        }
    }

    private static List<Result> search(IndexSearch via, URI index, String query, int limit, Credential credential) {
        return via.search(index, query, limit, credential);
    }

    /** One index, given by its base URI (scheme, host, port). */
    public List<Result> search(URI index, String query, int limit, Credential credential) {
        int n = Math.max(1, Math.min(100, limit));
        URI uri = URI.create(index + "/v1/search?q=" + URLEncoder.encode(query, StandardCharsets.UTF_8) + "&n=" + n);
        HttpRequest.Builder rq = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET();
        if (credential != null && credential.hasPassword()) {
            rq.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(
                    (credential.username() + ":" + credential.password()).getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<byte[]> r;
        try {
            r = http.send(rq.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            throw new BerthException(ErrorCategory.UNAVAILABLE, "cannot reach the search index at " + index.getAuthority()
                    + " (" + uri.getScheme() + "): " + why + "; check the registry name and your network", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCategory.UNAVAILABLE, "search interrupted", e);
        }
        if (r.statusCode() == 429) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "toomanyrequests: " + index.getHost()
                    + "'s search is rate limiting you; wait a while and search again");
        }
        if (r.statusCode() == 401 || r.statusCode() == 403) {
            throw new BerthException(ErrorCategory.UNAUTHORIZED, "unauthorized: the search index at "
                    + index.getAuthority() + " refused the credentials (HTTP " + r.statusCode() + "); log in again");
        }
        if (r.statusCode() != 200) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "the search index at " + index.getAuthority()
                    + " answered HTTP " + r.statusCode());
        }
        if (r.body().length > MAX_BYTES) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "the search index's answer is too large");
        }
        List<Result> out = new ArrayList<>();
        try {
            for (JsonNode j : Json.MAPPER.readTree(r.body()).path("results")) {
                String name = j.path("name").asText("");
                if (!name.isEmpty() && out.size() < n) {
                    out.add(new Result(name, j.path("description").asText(""), j.path("star_count").asInt(0),
                            j.path("is_official").asBoolean(false), j.path("is_automated").asBoolean(false)));
                }
            }
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "the search index answered something unreadable", e);
        }
        return out;
    }
}
