package dev.berth.engine.api.routes;

import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiRequest;
import dev.berth.engine.api.ApiResponse;
import dev.berth.engine.api.ApiVersion;
import dev.berth.engine.api.Route;
import dev.berth.engine.events.EngineEvent;
import dev.berth.images.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/** /_ping, /version, /info, /system/df and /events. */
public final class SystemRoutes {
    private final Engine engine;

    public SystemRoutes(Engine engine) {
        this.engine = engine;
    }

    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/_ping", this::ping),
                Route.of("HEAD", "/_ping", this::ping),
                Route.of("GET", "/version", this::version),
                Route.of("GET", "/info", this::info),
                Route.of("GET", "/system/df", (rq, rs) -> {
                    for (String type : rq.queryAll("type")) {
                        // moby's SystemDiskUsage (API 1.42): the object types it knows, anything else a 400
                        if (!java.util.Set.of("container", "image", "volume", "build-cache").contains(type)) {
                            throw dev.berth.errors.BerthException.invalid("unknown object type: " + type);
                        }
                    }
                    Map<String, Object> df = new LinkedHashMap<>(engine.images().diskUsage());
                    df.put("Volumes", engine.volumes().diskUsage());
                    df.put("Containers", containersWithSizes());
                    rs.json(200, df);
                }),
                Route.of("GET", "/events", this::events));
    }

    private void ping(ApiRequest rq, ApiResponse rs) throws IOException {
        // The docker CLI decides on BuildKit from Builder-Version: "1" means the classic builder.
        rs.header("Builder-Version", "1");
        rs.header("Swarm", "inactive");
        rs.header("Cache-Control", "no-cache, no-store, must-revalidate");
        rs.header("Pragma", "no-cache");
        rs.text(200, "text/plain; charset=utf-8", "OK");
    }

    private void version(ApiRequest rq, ApiResponse rs) throws IOException {
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("Platform", Map.of("Name", "Berth Engine " + Engine.VERSION));
        Map<String, Object> engineComponent = new LinkedHashMap<>();
        engineComponent.put("Name", "Engine");
        engineComponent.put("Version", dev.berth.engine.api.DockerCompat.ENGINE_RELEASE);
        engineComponent.put("Details", Map.of("ApiVersion", ApiVersion.CURRENT.toString(),
                "MinAPIVersion", ApiVersion.MINIMUM.toString(), "Os", "linux", "Arch", goArch(),
                "KernelVersion", kernel(), "GitCommit", "", "GoVersion", "java" + Runtime.version().feature()));
        v.put("Components", List.of(engineComponent, Map.of("Name", "Berth", "Version", Engine.VERSION)));
        v.put("Version", dev.berth.engine.api.DockerCompat.ENGINE_RELEASE);
        v.put("ApiVersion", ApiVersion.CURRENT.toString());
        v.put("MinAPIVersion", ApiVersion.MINIMUM.toString());
        v.put("GitCommit", "");
        v.put("GoVersion", "java" + Runtime.version().feature());
        v.put("Os", "linux");
        v.put("Arch", goArch());
        v.put("KernelVersion", kernel());
        v.put("BuildTime", "");
        rs.json(200, v);
    }

    static String goArch() {
        return dev.berth.images.manifest.Platform.host().architecture();
    }

    static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease")).trim();
        } catch (IOException e) {
            return System.getProperty("os.version");
        }
    }

    private void info(ApiRequest rq, ApiResponse rs) throws IOException {
        Map<String, Object> i = new LinkedHashMap<>();
        i.put("ID", engine.id());
        // counted as moby's state counter does: running, paused, everything else stopped
        int running = 0;
        int paused = 0;
        int stopped = 0;
        for (Map<String, Object> c : engine.containers().list(true)) {
            switch (String.valueOf(c.get("State"))) {
                case "running" -> running++;
                case "paused" -> paused++;
                default -> stopped++;
            }
        }
        i.put("Containers", running + paused + stopped);
        i.put("ContainersRunning", running);
        i.put("ContainersPaused", paused);
        i.put("ContainersStopped", stopped);
        i.put("Images", engine.images().store().list().size());
        i.put("Driver", "overlay");
        i.put("DriverStatus", List.of(List.of("Backing Filesystem", "extfs")));
        i.put("Plugins", Map.of("Volume", List.of("local"), "Network", List.of("bridge"), "Log", List.of("k8s-file")));
        i.put("MemoryLimit", true);
        i.put("SwapLimit", false);
        i.put("CpuCfsPeriod", true);
        i.put("CpuCfsQuota", true);
        i.put("IPv4Forwarding", true);
        i.put("Debug", engine.options().debug());
        i.put("NFd", 0);
        i.put("NGoroutines", Thread.activeCount());
        i.put("SystemTime", java.time.OffsetDateTime.now().toString());
        i.put("LoggingDriver", "k8s-file");
        i.put("CgroupDriver", "cgroupfs");
        i.put("NEventsListener", 0);
        i.put("KernelVersion", kernel());
        i.put("OperatingSystem", operatingSystem());
        i.put("OSVersion", "");
        i.put("OSType", "linux");
        i.put("Architecture", System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch"));
        i.put("IndexServerAddress", "https://index.docker.io/v1/");
        i.put("RegistryConfig", RegistryConfigInfo.of(engine.options().insecureRegistries()));
        i.put("NCPU", Runtime.getRuntime().availableProcessors());
        i.put("MemTotal", totalMemory());
        i.put("DockerRootDir", engine.options().dataRoot().toString());
        i.put("Name", hostname());
        i.put("Labels", List.of());
        i.put("ExperimentalBuild", false);
        i.put("ServerVersion", dev.berth.engine.api.DockerCompat.ENGINE_RELEASE);
        i.put("Runtimes", Map.of("runc", Map.of("path", "runc")));
        i.put("DefaultRuntime", "runc");
        i.put("Swarm", Map.of("LocalNodeState", "inactive", "NodeID", "", "NodeAddr", "", "ControlAvailable", false,
                "Error", "", "RemoteManagers", List.of()));
        i.put("LiveRestoreEnabled", true);
        i.put("Isolation", "");
        i.put("InitBinary", "");
        i.put("SecurityOptions", List.of());
        i.put("Warnings", List.of());
        rs.json(200, i);
    }

    private static long totalMemory() {
        var os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getTotalMemorySize() : 0;
    }

    private static String operatingSystem() {
        try {
            for (String line : Files.readAllLines(Path.of("/etc/os-release"))) {
                if (line.startsWith("PRETTY_NAME=")) {
                    return line.substring(12).replace("\"", "");
                }
            }
        } catch (IOException ignored) {
            // Fall through to the generic name.
        }
        return "Linux";
    }

    private static String hostname() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/hostname")).trim();
        } catch (IOException e) {
            return "localhost";
        }
    }

    /** Streams events as they happen; {@code since} replays history, {@code until} ends the stream. */
    private void events(ApiRequest rq, ApiResponse rs) throws IOException, InterruptedException {
        dev.berth.engine.events.EventFilter filter = new dev.berth.engine.events.EventFilter(Filters.parse(rq.query("filters")));
        long since = parseTime(rq.query("since"), Long.MIN_VALUE);
        long until = parseTime(rq.query("until"), Long.MAX_VALUE);
        if (since != Long.MIN_VALUE && until != Long.MAX_VALUE && until < since) {
            throw dev.berth.errors.BerthException.invalid("`since` time (" + rq.query("since") + ") cannot be after `until` time ("
                    + rq.query("until") + ")");
        }
        // moby replays its buffer only when since or until is given; a plain `docker events` starts now.
        boolean replay = since != Long.MIN_VALUE || until != Long.MAX_VALUE;
        LinkedBlockingQueue<EngineEvent> queue = new LinkedBlockingQueue<>();
        Consumer<EngineEvent> sink = queue::add;
        List<EngineEvent> past = engine.events().subscribe(sink);
        try (OutputStream out = rs.stream(200, "application/json")) {
            for (EngineEvent e : replay ? past : List.<EngineEvent>of()) {
                if (e.timeNano() >= since && e.timeNano() <= until && filter.includes(e)) {
                    write(out, e);
                }
            }
            if (rq.query("since") != null && past.isEmpty()) {
                out.flush();
            }
            while (true) {
                long now = System.currentTimeMillis() * 1_000_000L;
                if (now > until) {
                    return;
                }
                long waitMs = until == Long.MAX_VALUE ? 1000 : Math.max(1, (until - now) / 1_000_000L);
                EngineEvent e;
                try {
                    e = queue.poll(Math.min(waitMs, 1000), TimeUnit.MILLISECONDS);
                } catch (InterruptedException shuttingDown) {
                    // The daemon is stopping: the stream simply ends, as Docker's does; not a failed request.
                    Thread.currentThread().interrupt();
                    return;
                }
                if (e != null && e.timeNano() >= since && e.timeNano() <= until && filter.includes(e)) {
                    write(out, e);
                } else if (e == null) {
                    // Probe the connection so a client that left does not leave us waiting forever.
                    out.write(new byte[0]);
                }
            }
        } finally {
            engine.events().unsubscribe(sink);
        }
    }

    private static void write(OutputStream out, EngineEvent e) throws IOException {
        out.write(Json.MAPPER.writeValueAsBytes(e));
        out.write('\n');
    }

    /** Docker takes seconds with an optional fraction, or an RFC 3339 time; we compare in nanos. */
    static long parseTime(String s, long fallback) {
        if (s == null || s.isEmpty()) {
            return fallback;
        }
        try {
            java.math.BigDecimal secs = new java.math.BigDecimal(s);
            return secs.multiply(java.math.BigDecimal.valueOf(1_000_000_000L)).longValue();
        } catch (NumberFormatException e) {
            try {
                java.time.Instant t = java.time.OffsetDateTime.parse(s).toInstant();
                return t.getEpochSecond() * 1_000_000_000L + t.getNano();
            } catch (java.time.format.DateTimeParseException e2) {
                throw dev.berth.errors.BerthException.invalid("invalid timestamp \"" + s + "\"");
            }
        }
    }

    /** The containers part of {@code /system/df}: ps -a's rows with each writable layer's SizeRw, as dockerd. */
    private List<Map<String, Object>> containersWithSizes() throws IOException {
        List<Map<String, Object>> rows = new java.util.ArrayList<>();
        for (Map<String, Object> row : engine.containers().list(true)) {
            Map<String, Object> r = new LinkedHashMap<>(row);
            try {
                r.put("SizeRw", dev.berth.engine.containers.ContainerPruner.writableLayerSize(engine.containers(), (String) row.get("Id")));
            } catch (dev.berth.errors.BerthException e) {
                continue; // removed meanwhile
            }
            rows.add(r);
        }
        return rows;
    }
}
