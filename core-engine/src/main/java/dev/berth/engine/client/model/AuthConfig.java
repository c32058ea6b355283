package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.images.Json;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Registry credentials as the Engine API takes them: the body of {@code POST /auth}, and, encoded
 * with {@link #encode()}, the {@code X-Registry-Auth} header of pull and push.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record AuthConfig(
        @JsonProperty("username") String username,
        @JsonProperty("password") String password,
        @JsonProperty("serveraddress") String serverAddress,
        @JsonProperty("identitytoken") String identityToken,
        @JsonProperty("registrytoken") String registryToken) {

    /** No credentials: anonymous access. Encodes as {@code {}}, as docker sends it. */
    public static final AuthConfig ANONYMOUS = new AuthConfig(null, null, null, null, null);

    public static AuthConfig basic(String username, String password, String serverAddress) {
        return new AuthConfig(username, password, serverAddress, null, null);
    }

    /** Base64url-encoded JSON, the form of the {@code X-Registry-Auth} header. */
    public String encode() {
        try {
            byte[] json = Json.MAPPER.writeValueAsBytes(this);
            return Base64.getUrlEncoder().encodeToString(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot encode credentials", e);
        }
    }

    /** Reads an {@code X-Registry-Auth} value; accepts standard and URL-safe base64, padded or not. */
    public static AuthConfig decode(String header) {
        String h = header.strip().replace('+', '-').replace('/', '_');
        byte[] json = Base64.getUrlDecoder().decode(h.replace("=", ""));
        try {
            return Json.MAPPER.readValue(new String(json, StandardCharsets.UTF_8), AuthConfig.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("X-Registry-Auth is not base64 JSON: " + Json.describe(e), e);
        }
    }

    @Override
    public String toString() {
        // Credentials must never reach a log line through toString.
        return "AuthConfig[username=" + username + ", serverAddress=" + serverAddress
                + (password != null ? ", password=***" : "") + (identityToken != null ? ", identityToken=***" : "") + "]";
    }
}
