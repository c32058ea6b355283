package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

/** One line of what {@code DELETE /images/{name}} or a prune did: exactly one field is set. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageDeleteResponseItem(
        @JsonProperty("Untagged") String untagged,
        @JsonProperty("Deleted") String deleted) {
}
