package dev.berth.desktop.detail.stats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class StatsModelTest {
    @Test
    void computesDockersFigures() throws Exception {
        JsonNode s = Json.MAPPER.readTree("""
                {"read":"2024-01-02T03:04:05Z",
                 "cpu_stats":{"cpu_usage":{"total_usage":300},"system_cpu_usage":2000,"online_cpus":2},
                 "precpu_stats":{"cpu_usage":{"total_usage":100},"system_cpu_usage":1000},
                 "memory_stats":{"usage":1000,"limit":4000,"stats":{"inactive_file":200}},
                 "networks":{"eth0":{"rx_bytes":10,"tx_bytes":20},"eth1":{"rx_bytes":1,"tx_bytes":2}},
                 "blkio_stats":{"io_service_bytes_recursive":[{"op":"read","value":5},{"op":"Write","value":7},
                                {"op":"Read","value":1}]}}
                """);
        StatsSample x = StatsCalculator.sample(s, 0);
        assertEquals(40.0, x.cpuPercent(), 1e-9); // 200/1000 * 2 cpus * 100
        assertEquals(800, x.memoryUsage());
        assertEquals(20.0, x.memoryPercent(), 1e-9);
        assertEquals(11, x.netRx());
        assertEquals(22, x.netTx());
        assertEquals(6, x.blockRead());
        assertEquals(7, x.blockWrite());
        assertEquals(java.time.Instant.parse("2024-01-02T03:04:05Z").toEpochMilli(), x.epochMillis());
    }

    @Test
    void cgroupV1CacheAndPerCpuFallback() throws Exception {
        JsonNode s = Json.MAPPER.readTree("""
                {"cpu_stats":{"cpu_usage":{"total_usage":50,"percpu_usage":[1,2,3,4]},"system_cpu_usage":100},
                 "precpu_stats":{"cpu_usage":{"total_usage":0},"system_cpu_usage":0},
                 "memory_stats":{"usage":1000,"stats":{"total_inactive_file":300,"inactive_file":999}}}
                """);
        assertEquals(200.0, StatsCalculator.cpuPercent(s), 1e-9);
        assertEquals(700, StatsCalculator.memoryUsage(s));
        assertEquals(42, StatsCalculator.sample(s, 42).epochMillis());
    }

    @Test
    void downsamplesOnlyOldSamples() {
        List<StatsSample> in = new ArrayList<>();
        for (int i = 0; i < 120; i++) { // two minutes, one a second
            in.add(new StatsSample(i * 1000L, i % 2 == 0 ? 10 : 20, 100, 1000, i, i, i, i));
        }
        List<StatsSample> out = StatsDownsampler.downsample(in, 120_000, 30_000, 60_000);
        // first minute in one bucket, 60..89 s in a second, last 30 s untouched
        assertEquals(2 + 30, out.size());
        assertEquals(15.0, out.get(0).cpuPercent(), 1e-9);
        assertEquals(59, out.get(0).netRx());
        assertEquals(90_000, out.get(2).epochMillis());
    }
}
