package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code POST /containers/create} (swagger {@code ContainerCreateResponse}); also exec create and commit's {@code IdResponse}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerCreateResponse(@JsonProperty("Id") String id, @JsonProperty("Warnings") List<String> warnings) {
    public ContainerCreateResponse {
        warnings = warnings == null ? List.of() : warnings;
    }
}
