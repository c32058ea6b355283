package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code POST /images/prune} (swagger {@code ImagePruneResponse}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImagePruneReport(
        @JsonProperty("ImagesDeleted") List<ImageDeleteResponseItem> imagesDeleted,
        @JsonProperty("SpaceReclaimed") long spaceReclaimed) {

    public ImagePruneReport {
        imagesDeleted = imagesDeleted == null ? List.of() : imagesDeleted;
    }
}
