package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One entry of {@code GET /containers/{id}/changes}: kind 0 modified, 1 added, 2 deleted. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record FilesystemChange(@JsonProperty("Path") String path, @JsonProperty("Kind") int kind) {
    /** docker diff's letter: C, A or D. */
    public String letter() {
        return switch (kind) {
            case 0 -> "C";
            case 1 -> "A";
            case 2 -> "D";
            default -> "?";
        };
    }
}
