package dev.berth.cli;

import dev.berth.engine.client.ApiVersions;
import dev.berth.engine.client.EngineEndpoint;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * The read-only GETs of {@code berth ps} and {@code berth images} without the engine client:
 * {@link UnixHttp} instead of OkHttp, and the caller parses with {@code format.LeanJson}
 * instead of databind. It only ever answers a 200 from a local Unix socket; for anything else (a
 * TCP or TLS host, debug logging, a missing or refusing socket, an error status, a malformed
 * answer) it returns null and the caller goes the engine client's way, which words the failure
 * exactly as before. A cold start saves OkHttp's, Kotlin's and databind's classes this way
 * (bench/cli/RESULTS.md).
 */
public final class LeanEngine implements AutoCloseable {
    private static final Pattern VERSION = Pattern.compile("\\d+\\.\\d+");
    /** How many lists this process answered the lean way (tests tell the two paths apart by it). */
    static volatile int answered;

    private final Cli cli;
    private UnixHttp http;
    private String apiVersion;
    private boolean failed;

    LeanEngine(Cli cli) {
        this.cli = cli;
    }

    /**
     * {@code GET /v{version}/{path}?{query}}; {@code query} alternates names and values, a null
     * value leaves its name out. The body of a 200 answer, else null.
     */
    public byte[] get(String path, String... query) {
        if (failed || !usable()) {
            return null;
        }
        try {
            if (http == null) {
                http = new UnixHttp(cli.endpoint().socketPath(), Cli.USER_AGENT);
            }
            if (apiVersion == null) {
                apiVersion = pinnedVersion();
                if (apiVersion == null) {
                    UnixHttp.Response ping = http.get("/_ping");
                    if (ping.status() != 200) {
                        return fail();
                    }
                    apiVersion = ApiVersions.negotiate(ping.header("Api-Version"));
                }
            }
            StringBuilder target = new StringBuilder("/v").append(apiVersion).append('/').append(path);
            char sep = '?';
            for (int i = 0; i + 1 < query.length; i += 2) {
                if (query[i + 1] != null) {
                    target.append(sep).append(query[i]).append('=').append(encode(query[i + 1]));
                    sep = '&';
                }
            }
            UnixHttp.Response response = http.get(target.toString());
            if (response.status() != 200) {
                return fail();
            }
            answered++;
            return response.body();
        } catch (IOException | RuntimeException e) {
            return fail();
        }
    }

    private byte[] fail() {
        failed = true;
        close();
        return null;
    }

    /** Only a plain Unix socket without debug logging; TLS settings on a Unix socket fall back too. */
    private boolean usable() {
        if (cli.debug() || cli.tlsSettings() != null) {
            return false;
        }
        EngineEndpoint endpoint = cli.endpoint();
        return endpoint.isUnix();
    }

    /** {@code BERTH_API_VERSION} or {@code DOCKER_API_VERSION}; an invalid one fails here so the engine client words it. */
    private String pinnedVersion() {
        String pinned = cli.io().env().get("BERTH_API_VERSION");
        if (pinned == null || pinned.isBlank()) {
            pinned = cli.io().env().get("DOCKER_API_VERSION");
        }
        if (pinned == null || pinned.isBlank()) {
            return null;
        }
        if (!VERSION.matcher(pinned).matches()) {
            throw new IllegalArgumentException("invalid API version");
        }
        return pinned;
    }

    private static String encode(String value) {
        // form encoding writes a space as '+', which the engine's query decoder reads back as a space
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (http != null) {
            try {
                http.close();
            } catch (IOException e) {
                // nothing left to release
            }
            http = null;
        }
    }
}
