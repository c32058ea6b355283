package dev.berth.images.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.berth.errors.BerthException;
import dev.berth.images.Digest;
import dev.berth.images.Json;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/** The image configuration blob (OCI image-spec config.md; Docker's is a superset we read the same way). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageConfig(
        String created,
        String author,
        String architecture,
        String os,
        String variant,
        @JsonProperty("os.version") String osVersion,
        ContainerConfig config,
        RootFs rootfs,
        List<History> history) {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ContainerConfig(
            @JsonProperty("User") String user,
            @JsonProperty("ExposedPorts") Map<String, Object> exposedPorts,
            @JsonProperty("Env") List<String> env,
            @JsonProperty("Entrypoint") List<String> entrypoint,
            @JsonProperty("Cmd") List<String> cmd,
            @JsonProperty("Volumes") Map<String, Object> volumes,
            @JsonProperty("WorkingDir") String workingDir,
            @JsonProperty("Labels") Map<String, String> labels,
            @JsonProperty("StopSignal") String stopSignal,
            @JsonProperty("ArgsEscaped") Boolean argsEscaped,
            @JsonProperty("Healthcheck") Map<String, Object> healthcheck,
            @JsonProperty("OnBuild") List<String> onBuild,
            @JsonProperty("Shell") List<String> shell) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record RootFs(String type, @JsonProperty("diff_ids") List<Digest> diffIds) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record History(
            String created,
            @JsonProperty("created_by") String createdBy,
            String author,
            String comment,
            @JsonProperty("empty_layer") Boolean emptyLayer) {
        public boolean isEmptyLayer() {
            return Boolean.TRUE.equals(emptyLayer);
        }
    }

    public List<Digest> diffIds() {
        return rootfs == null || rootfs.diffIds() == null ? List.of() : rootfs.diffIds();
    }

    public Platform platform() {
        return Platform.of(os == null ? "linux" : os, architecture == null ? "amd64" : architecture, variant);
    }

    public static ImageConfig parse(byte[] bytes) {
        try {
            ImageConfig c = Json.MAPPER.readValue(bytes, ImageConfig.class);
            if (c == null || c.rootfs == null) {
                throw BerthException.invalid("invalid image config: rootfs is missing");
            }
            return c;
        } catch (IOException e) {
            throw BerthException.invalid("invalid image config: " + Json.describe(e));
        }
    }
}
