package dev.berth.engine.build;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The query of {@code POST /build} as the docker CLI's classic builder sends it (moby's
 * api/server/router/build newImageBuildOptions). Options the classic builder accepts but Berth does
 * not act on (cpu/memory limits, squash, networkmode other than default) are read and ignored.
 *
 * @param buildArgs values may be null: {@code --build-arg X} without a value takes it from the client env
 */
public record BuildOptions(List<String> tags, String dockerfile, Map<String, String> buildArgs,
                           Map<String, String> labels, String target, boolean noCache, boolean pull,
                           boolean quiet, boolean remove, boolean forceRemove, String platform, String networkMode) {

    public static final String DEFAULT_DOCKERFILE = "Dockerfile";

    public interface Query {
        String get(String name);

        List<String> all(String name);
    }

    public static BuildOptions parse(Query q) {
        String df = q.get("dockerfile");
        if (df == null || df.isEmpty()) {
            df = DEFAULT_DOCKERFILE;
        }
        String version = q.get("version");
        if (version != null && !version.isEmpty() && !version.equals("1")) {
            throw BerthException.invalid("BuildKit is not supported by Berth: use the classic builder (DOCKER_BUILDKIT=0)");
        }
        return new BuildOptions(q.all("t"), df, jsonMap(q.get("buildargs"), "buildargs"), jsonMap(q.get("labels"), "labels"),
                nullIfEmpty(q.get("target")), bool(q.get("nocache")), bool(q.get("pull")), bool(q.get("q")),
                q.get("rm") == null || bool(q.get("rm")), bool(q.get("forcerm")), nullIfEmpty(q.get("platform")),
                nullIfEmpty(q.get("networkmode")));
    }

    private static String nullIfEmpty(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** Docker's strconv.ParseBool as the router uses it: "1", "true", "True" … are true. */
    private static boolean bool(String s) {
        if (s == null) {
            return false;
        }
        return switch (s) {
            case "1", "t", "T", "true", "TRUE", "True" -> true;
            default -> false;
        };
    }

    private static Map<String, String> jsonMap(String json, String what) {
        if (json == null || json.isEmpty()) {
            return Map.of();
        }
        try {
            Map<String, String> m = Json.MAPPER.readValue(json, new TypeReference<LinkedHashMap<String, String>>() {
            });
            return m == null ? Map.of() : m;
        } catch (IOException e) {
            throw BerthException.invalid("invalid " + what + " JSON: " + e.getMessage());
        }
    }
}
