package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;

/** {@code GET /system/df} in its API 1.47 shape ({@code LayersSize}, {@code Images}, ...). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DiskUsage(
        @JsonProperty("LayersSize") long layersSize,
        @JsonProperty("Images") List<ImageSummary> images,
        @JsonProperty("Containers") List<ContainerUsage> containers,
        @JsonProperty("Volumes") List<VolumeUsage> volumes,
        @JsonProperty("BuildCache") List<BuildCacheUsage> buildCache) {

    public DiskUsage {
        images = images == null ? List.of() : images;
        containers = containers == null ? List.of() : containers;
        volumes = volumes == null ? List.of() : volumes;
        buildCache = buildCache == null ? List.of() : buildCache;
    }

    /** The part of a container summary that disk usage needs. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ContainerUsage(
            @JsonProperty("Id") String id,
            @JsonProperty("Names") List<String> names,
            @JsonProperty("Image") String image,
            @JsonProperty("Command") String command,
            @JsonProperty("Created") long created,
            @JsonProperty("State") String state,
            @JsonProperty("Status") String status,
            @JsonProperty("SizeRw") long sizeRw,
            @JsonProperty("SizeRootFs") long sizeRootFs,
            @JsonProperty("Mounts") List<java.util.Map<String, Object>> mounts) {

        /** docker's LOCAL VOLUMES column: the mounts of type volume. */
        public long localVolumes() {
            return mounts == null ? 0 : mounts.stream().filter(m -> "volume".equals(m.get("Type"))).count();
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record VolumeUsage(
            @JsonProperty("Name") String name,
            @JsonProperty("Driver") String driver,
            @JsonProperty("Mountpoint") String mountpoint,
            @JsonProperty("UsageData") UsageData usageData) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record UsageData(@JsonProperty("Size") long size, @JsonProperty("RefCount") long refCount) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record BuildCacheUsage(
            @JsonProperty("ID") String id,
            @JsonProperty("Type") String type,
            @JsonProperty("Size") long size,
            @JsonProperty("InUse") boolean inUse,
            @JsonProperty("Shared") boolean shared,
            @JsonProperty("UsageCount") long usageCount) {
    }
}
