package dev.berth.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.registry.Credential;

import java.io.IOException;
import java.util.Base64;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code X-Registry-Config}: base64url JSON of every registry's AuthConfig, keyed by server address,
 * for the base-image pulls of a build. Each pull takes the entry of its own registry (keys are normalised
 * as the docker CLI writes them: {@code https://index.docker.io/v1/} is Docker Hub, a scheme or path
 * around a host is ignored). Never logged; a malformed header is ignored as moby does.
 */
public final class RegistryConfigHeader {
    private RegistryConfigHeader() {
    }

    /** The Docker Hub entry, else any: for callers that pull from one registry. */
    public static Credential decode(String header) {
        Map<String, Credential> all = decodeAll(header);
        Credential hub = all.get(ImageReference.DOCKER_HUB);
        return hub != null ? hub : all.values().stream().findFirst().orElse(Credential.ANONYMOUS);
    }

    /** registry host (as {@link ImageReference#registry()} names it) → its credential; anonymous for others. */
    public static Function<String, Credential> forRegistries(String header) {
        Map<String, Credential> all = decodeAll(header);
        return registry -> all.getOrDefault(registry, Credential.ANONYMOUS);
    }

    static Map<String, Credential> decodeAll(String header) {
        Map<String, Credential> out = new HashMap<>();
        if (header == null || header.isBlank()) {
            return out;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(header.trim().replace('+', '-').replace('/', '_')));
            if (n == null || !n.isObject()) {
                return out;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!e.getValue().isObject()) {
                    continue;
                }
                String one = Base64.getUrlEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(e.getValue()));
                out.putIfAbsent(host(e.getKey()), dev.berth.engine.api.RegistryAuthHeader.decode(one));
            }
        } catch (IOException | RuntimeException e) {
            out.clear();
        }
        return out;
    }

    /** moby's ConvertToHostname, with Docker Hub's aliases folded into docker.io. */
    static String host(String key) {
        String h = key;
        if (h.startsWith("http://")) {
            h = h.substring(7);
        } else if (h.startsWith("https://")) {
            h = h.substring(8);
        }
        int slash = h.indexOf('/');
        if (slash >= 0) {
            h = h.substring(0, slash);
        }
        return switch (h) {
            case "index.docker.io", "registry-1.docker.io", "docker.io" -> ImageReference.DOCKER_HUB;
            default -> h;
        };
    }
}
