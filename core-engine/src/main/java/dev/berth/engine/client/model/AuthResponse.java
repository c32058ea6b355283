package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /auth}: {@code {"Status":"Login Succeeded"}}, with an identity token when the registry gave one. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuthResponse(
        @JsonProperty("Status") String status,
        @JsonProperty("IdentityToken") String identityToken) {
}
