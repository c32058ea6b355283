package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonAlias;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code POST /containers/prune}, {@code /volumes/prune} and {@code /networks/prune}: what went, and the space freed. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record PruneReport(
        @JsonProperty("Deleted") @JsonAlias({"ContainersDeleted", "VolumesDeleted", "NetworksDeleted"}) List<String> deleted,
        @JsonProperty("SpaceReclaimed") long spaceReclaimed) {
    public PruneReport {
        deleted = deleted == null ? List.of() : deleted;
    }
}
