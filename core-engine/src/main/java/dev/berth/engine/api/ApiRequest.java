package dev.berth.engine.api;

import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;

/**
 * One API request as a route sees it: the path with any {@code /v1.NN} prefix removed, decoded query
 * parameters, headers, path parameters from the route, and a streaming body.
 */
public final class ApiRequest {
    private final String method;
    private final String path;
    private final ApiVersion version;
    private final Map<String, List<String>> query;
    private final Map<String, String> headers;
    private final InputStream body;
    private Matcher pathMatch;

    ApiRequest(String method, String path, ApiVersion version, Map<String, List<String>> query,
               Map<String, String> headers, InputStream body) {
        this.method = method;
        this.path = path;
        this.version = version;
        this.query = query;
        this.headers = headers;
        this.body = body;
    }

    void bind(Matcher m) {
        this.pathMatch = m;
    }

    public String method() {
        return method;
    }

    public String path() {
        return path;
    }

    public ApiVersion version() {
        return version;
    }

    /** A named group of the route's pattern, e.g. {@code name} in {@code /images/(?<name>.+)/json}. */
    public String pathParam(String name) {
        return pathMatch.group(name);
    }

    /** Every query parameter, for parsers that take Docker's whole option set at once. */
    public Map<String, List<String>> queries() {
        return query;
    }

    public String query(String name) {
        List<String> v = query.get(name);
        return v == null || v.isEmpty() ? null : v.getFirst();
    }

    public String query(String name, String fallback) {
        String v = query(name);
        return v == null ? fallback : v;
    }

    public List<String> queryAll(String name) {
        return query.getOrDefault(name, List.of());
    }

    /** Docker's boolean parameters: "1", "true", "True" are true; absent or anything else is false. */
    public boolean queryBool(String name) {
        String v = query(name);
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true"));
    }

    public int queryInt(String name, int fallback) {
        String v = query(name);
        if (v == null || v.isEmpty()) {
            return fallback;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid value for " + name + ": \"" + v + "\" is not an integer");
        }
    }

    /** Header lookup, case-insensitive. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    public InputStream body() {
        return body;
    }

    /** The body parsed as JSON into {@code type}; a malformed body is the caller's error, not ours. */
    public <T> T bodyAs(Class<T> type) {
        try {
            byte[] bytes = body.readAllBytes();
            if (bytes.length == 0) {
                throw BerthException.invalid("request body is empty; expected JSON");
            }
            return Json.MAPPER.readValue(bytes, type);
        } catch (IOException e) {
            throw BerthException.invalid("invalid JSON in request body: " + Json.describe(e));
        }
    }

    /** True once the client has closed its connection (only known for requests that came over a socket). */
    public boolean clientGone() {
        return body instanceof BodyStream b && b.peerGone();
    }
}
