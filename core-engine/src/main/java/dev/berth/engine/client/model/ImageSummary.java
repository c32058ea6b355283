package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** One entry of {@code GET /images/json} (swagger {@code ImageSummary}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageSummary(
        @JsonProperty("Id") String id,
        @JsonProperty("ParentId") String parentId,
        @JsonProperty("RepoTags") List<String> repoTags,
        @JsonProperty("RepoDigests") List<String> repoDigests,
        @JsonProperty("Created") long created,
        @JsonProperty("Size") long size,
        @JsonProperty("SharedSize") long sharedSize,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("Containers") long containers) {

    public ImageSummary {
        repoTags = repoTags == null ? List.of() : repoTags;
        repoDigests = repoDigests == null ? List.of() : repoDigests;
        labels = labels == null ? Map.of() : labels;
    }
}
