package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** {@code POST /containers/{id}/wait} (swagger {@code ContainerWaitResponse}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerWaitResponse(@JsonProperty("StatusCode") long statusCode, @JsonProperty("Error") WaitError error) {
    /** Set when the wait itself failed. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record WaitError(@JsonProperty("Message") String message) {
    }

    public String errorMessage() {
        return error == null || error.message() == null ? "" : error.message();
    }
}
