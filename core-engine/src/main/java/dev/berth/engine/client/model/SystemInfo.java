package dev.berth.engine.client.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;

import java.util.List;
import java.util.Map;

/** {@code GET /info} (swagger {@code SystemInfo}); the fields a client shows, the rest is ignored. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SystemInfo(
        @JsonProperty("ID") String id,
        @JsonProperty("Containers") int containers,
        @JsonProperty("ContainersRunning") int containersRunning,
        @JsonProperty("ContainersPaused") int containersPaused,
        @JsonProperty("ContainersStopped") int containersStopped,
        @JsonProperty("Images") int images,
        @JsonProperty("Driver") String driver,
        @JsonProperty("DriverStatus") List<List<String>> driverStatus,
        @JsonProperty("DockerRootDir") String dockerRootDir,
        @JsonProperty("Plugins") Plugins plugins,
        @JsonProperty("Debug") boolean debug,
        @JsonProperty("NFd") int nfd,
        @JsonProperty("NGoroutines") int nGoroutines,
        @JsonProperty("SystemTime") String systemTime,
        @JsonProperty("LoggingDriver") String loggingDriver,
        @JsonProperty("CgroupDriver") String cgroupDriver,
        @JsonProperty("CgroupVersion") String cgroupVersion,
        @JsonProperty("NEventsListener") int nEventsListener,
        @JsonProperty("KernelVersion") String kernelVersion,
        @JsonProperty("OperatingSystem") String operatingSystem,
        @JsonProperty("OSVersion") String osVersion,
        @JsonProperty("OSType") String osType,
        @JsonProperty("Architecture") String architecture,
        @JsonProperty("NCPU") int ncpu,
        @JsonProperty("MemTotal") long memTotal,
        @JsonProperty("IndexServerAddress") String indexServerAddress,
        @JsonProperty("RegistryConfig") JsonNode registryConfig,
        @JsonProperty("HttpProxy") String httpProxy,
        @JsonProperty("HttpsProxy") String httpsProxy,
        @JsonProperty("NoProxy") String noProxy,
        @JsonProperty("Name") String name,
        @JsonProperty("Labels") List<String> labels,
        @JsonProperty("ExperimentalBuild") boolean experimentalBuild,
        @JsonProperty("ServerVersion") String serverVersion,
        @JsonProperty("Runtimes") Map<String, JsonNode> runtimes,
        @JsonProperty("DefaultRuntime") String defaultRuntime,
        @JsonProperty("Swarm") Swarm swarm,
        @JsonProperty("LiveRestoreEnabled") boolean liveRestoreEnabled,
        @JsonProperty("InitBinary") String initBinary,
        @JsonProperty("ContainerdCommit") Commit containerdCommit,
        @JsonProperty("RuncCommit") Commit runcCommit,
        @JsonProperty("InitCommit") Commit initCommit,
        @JsonProperty("SecurityOptions") List<String> securityOptions,
        @JsonProperty("Warnings") List<String> warnings) {

    public SystemInfo {
        driverStatus = driverStatus == null ? List.of() : driverStatus;
        labels = labels == null ? List.of() : labels;
        runtimes = runtimes == null ? Map.of() : runtimes;
        securityOptions = securityOptions == null ? List.of() : securityOptions;
        warnings = warnings == null ? List.of() : warnings;
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Plugins(
            @JsonProperty("Volume") List<String> volume,
            @JsonProperty("Network") List<String> network,
            @JsonProperty("Authorization") List<String> authorization,
            @JsonProperty("Log") List<String> log) {
        public Plugins {
            volume = volume == null ? List.of() : volume;
            network = network == null ? List.of() : network;
            authorization = authorization == null ? List.of() : authorization;
            log = log == null ? List.of() : log;
        }
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Swarm(@JsonProperty("LocalNodeState") String localNodeState) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Commit(@JsonProperty("ID") String id) {
    }
}
