package dev.berth.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.images.Json;
import dev.berth.registry.Credential;

import java.io.IOException;
import java.util.Base64;

/**
 * {@code X-Registry-Config}: base64url JSON of every registry's AuthConfig, keyed by server address,
 * for the base-image pulls of a build. Never logged; a malformed header is ignored as moby does.
 * Berth's puller takes one credential per pull, so the entry for Docker Hub is used.
 */
public final class RegistryConfigHeader {
    private RegistryConfigHeader() {
    }

    public static Credential decode(String header) {
        if (header == null || header.isBlank()) {
            return Credential.ANONYMOUS;
        }
        try {
            JsonNode n = Json.MAPPER.readTree(Base64.getUrlDecoder().decode(header.trim().replace('+', '-').replace('/', '_')));
            if (n == null || !n.isObject() || n.isEmpty()) {
                return Credential.ANONYMOUS;
            }
            JsonNode hub = n.path("https://index.docker.io/v1/");
            JsonNode pick = hub.isObject() ? hub : n.elements().next();
            String one = Base64.getUrlEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(pick));
            return dev.berth.engine.api.RegistryAuthHeader.decode(one);
        } catch (IOException | RuntimeException e) {
            return Credential.ANONYMOUS;
        }
    }
}
