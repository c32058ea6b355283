package dev.berth.engine.api;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import dev.berth.registry.Credential;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * The {@code X-Registry-Auth} header: base64url JSON of docker's AuthConfig. Clients send it for the
 * one registry a pull or push talks to; the engine never uses it anywhere else.
 */
public final class RegistryAuthHeader {
    private RegistryAuthHeader() {
    }

    public static Credential decode(String header) {
        if (header == null || header.isBlank()) {
            return Credential.ANONYMOUS;
        }
        byte[] json;
        try {
            json = Base64.getUrlDecoder().decode(header.trim().replace('+', '-').replace('/', '_'));
        } catch (IllegalArgumentException e) {
            throw BerthException.invalid("invalid X-Registry-Auth header: not base64url");
        }
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(json);
        } catch (IOException e) {
            throw BerthException.invalid("invalid X-Registry-Auth header: not JSON");
        }
        if (node == null || !node.isObject()) {
            return Credential.ANONYMOUS;
        }
        String username = text(node, "username");
        String password = text(node, "password");
        String auth = text(node, "auth");
        if (username == null && auth != null) {
            String decoded = new String(Base64.getDecoder().decode(auth), StandardCharsets.UTF_8);
            int colon = decoded.indexOf(':');
            if (colon > 0) {
                username = decoded.substring(0, colon);
                password = decoded.substring(colon + 1);
            }
        }
        String identityToken = text(node, "identitytoken");
        if (identityToken != null) {
            return Credential.identityToken(username, identityToken);
        }
        if (username != null && password != null) {
            return Credential.basic(username, password);
        }
        return Credential.ANONYMOUS;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
    }
}
