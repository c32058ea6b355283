package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code GET /containers/{id}/top} (swagger {@code ContainerTopResponse}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerTop(@JsonProperty("Titles") List<String> titles,
                           @JsonProperty("Processes") List<List<String>> processes) {
    public ContainerTop {
        titles = titles == null ? List.of() : titles;
        processes = processes == null ? List.of() : processes;
    }
}
