package dev.berth.desktop.detail.stats;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Iterator;
import java.util.Map;

/**
 * The figures {@code docker stats} shows, computed from one stats JSON object exactly as the docker
 * CLI does (cli/command/container/stats_helpers.go): CPU % over the delta to {@code precpu_stats},
 * memory without the page cache, network and block I/O summed.
 */
public final class StatsCalculator {
    private StatsCalculator() {
    }

    public static StatsSample sample(JsonNode stats, long fallbackMillis) {
        return new StatsSample(readMillis(stats, fallbackMillis), cpuPercent(stats), memoryUsage(stats),
                stats.path("memory_stats").path("limit").asLong(0),
                sumNetworks(stats, "rx_bytes"), sumNetworks(stats, "tx_bytes"),
                blockIo(stats, "read"), blockIo(stats, "write"));
    }

    /** docker's calculateCPUPercentUnix. */
    public static double cpuPercent(JsonNode s) {
        JsonNode cpu = s.path("cpu_stats");
        JsonNode pre = s.path("precpu_stats");
        double cpuDelta = cpu.path("cpu_usage").path("total_usage").asDouble(0)
                - pre.path("cpu_usage").path("total_usage").asDouble(0);
        double systemDelta = cpu.path("system_cpu_usage").asDouble(0) - pre.path("system_cpu_usage").asDouble(0);
        double online = cpu.path("online_cpus").asDouble(0);
        if (online == 0) {
            online = cpu.path("cpu_usage").path("percpu_usage").size();
        }
        if (systemDelta > 0 && cpuDelta > 0) {
            return cpuDelta / systemDelta * online * 100.0;
        }
        return 0;
    }

    /** docker's calculateMemUsageUnixNoCache: cgroup v1 subtracts total_inactive_file, v2 inactive_file. */
    public static long memoryUsage(JsonNode s) {
        JsonNode mem = s.path("memory_stats");
        long usage = mem.path("usage").asLong(0);
        JsonNode st = mem.path("stats");
        long cache;
        if (st.has("total_inactive_file")) {
            cache = st.path("total_inactive_file").asLong(0);
        } else {
            cache = st.path("inactive_file").asLong(0);
        }
        return cache < usage ? usage - cache : usage;
    }

    static long sumNetworks(JsonNode s, String field) {
        long sum = 0;
        for (Iterator<Map.Entry<String, JsonNode>> it = s.path("networks").properties().iterator(); it.hasNext(); ) {
            sum += it.next().getValue().path(field).asLong(0);
        }
        return sum;
    }

    /** docker's calculateBlockIO: the {@code op} is "Read"/"Write" on v1 and "read"/"write" on v2. */
    static long blockIo(JsonNode s, String op) {
        long sum = 0;
        for (JsonNode e : s.path("blkio_stats").path("io_service_bytes_recursive")) {
            if (op.equalsIgnoreCase(e.path("op").asText())) {
                sum += e.path("value").asLong(0);
            }
        }
        return sum;
    }

    private static long readMillis(JsonNode s, long fallback) {
        String read = s.path("read").asText("");
        if (read.isEmpty() || read.startsWith("0001-")) {
            return fallback;
        }
        try {
            return Instant.parse(read).toEpochMilli();
        } catch (DateTimeParseException e) {
            return fallback;
        }
    }
}
