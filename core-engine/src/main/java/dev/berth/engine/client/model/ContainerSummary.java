package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** One entry of {@code GET /containers/json} (swagger {@code ContainerSummary}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerSummary(
        @JsonProperty("Id") String id,
        @JsonProperty("Names") List<String> names,
        @JsonProperty("Image") String image,
        @JsonProperty("ImageID") String imageId,
        @JsonProperty("Command") String command,
        @JsonProperty("Created") long created,
        @JsonProperty("Ports") List<Port> ports,
        @JsonProperty("SizeRw") long sizeRw,
        @JsonProperty("SizeRootFs") long sizeRootFs,
        @JsonProperty("Labels") Map<String, String> labels,
        @JsonProperty("State") String state,
        @JsonProperty("Status") String status,
        @JsonProperty("NetworkSettings") JsonNode networkSettings,
        @JsonProperty("Mounts") List<Mount> mounts) {

    public ContainerSummary {
        names = names == null ? List.of() : names;
        ports = ports == null ? List.of() : ports;
        labels = labels == null ? Map.of() : labels;
        mounts = mounts == null ? List.of() : mounts;
        image = image == null ? "" : image;
        command = command == null ? "" : command;
        state = state == null ? "" : state;
        status = status == null ? "" : status;
    }

    /** A published or exposed port (swagger {@code Port}). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Port(@JsonProperty("IP") String ip, @JsonProperty("PrivatePort") int privatePort,
                       @JsonProperty("PublicPort") int publicPort, @JsonProperty("Type") String type) {
    }

    /** A mount as listed (swagger {@code MountPoint}, the fields {@code ps} uses). */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Mount(@JsonProperty("Type") String type, @JsonProperty("Name") String name,
                        @JsonProperty("Source") String source, @JsonProperty("Destination") String destination,
                        @JsonProperty("Driver") String driver) {
    }
}
