package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Map;

/** {@code GET /version} (swagger {@code SystemVersion}). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SystemVersion(
        @JsonProperty("Platform") Platform platform,
        @JsonProperty("Components") List<Component> components,
        @JsonProperty("Version") String version,
        @JsonProperty("ApiVersion") String apiVersion,
        @JsonProperty("MinAPIVersion") String minApiVersion,
        @JsonProperty("GitCommit") String gitCommit,
        @JsonProperty("GoVersion") String goVersion,
        @JsonProperty("Os") String os,
        @JsonProperty("Arch") String arch,
        @JsonProperty("KernelVersion") String kernelVersion,
        @JsonProperty("Experimental") boolean experimental,
        @JsonProperty("BuildTime") String buildTime) {

    public SystemVersion {
        components = components == null ? List.of() : components;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Platform(@JsonProperty("Name") String name) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Component(
            @JsonProperty("Name") String name,
            @JsonProperty("Version") String version,
            @JsonProperty("Details") Map<String, String> details) {
        public Component {
            details = details == null ? Map.of() : details;
        }
    }
}
