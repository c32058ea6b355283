package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The sparklines' CPU % comes from two one-shot samples; their label uses the app's size format. */
class DeskSparklinesTest {
    private static final ObjectMapper M = new ObjectMapper();

    @Test
    void cpuPercentIsDockersCalculationOverThePreviousRoundsCounters() throws Exception {
        // one-shot: no precpu of its own
        JsonNode earlier = M.readTree("""
                {"cpu_stats":{"cpu_usage":{"total_usage":1000000000},"system_cpu_usage":10000000000,"online_cpus":2},
                 "precpu_stats":{}}""");
        JsonNode now = M.readTree("""
                {"cpu_stats":{"cpu_usage":{"total_usage":1500000000},"system_cpu_usage":12000000000,"online_cpus":2},
                 "precpu_stats":{}}""");
        // 0.5 s of CPU over 2 s of system time on 2 CPUs: docker says 50%
        assertEquals(50.0, Sparklines.cpuPercent(now, earlier.path("cpu_stats")), 1e-9);
        assertEquals("{}", now.path("precpu_stats").toString(), "the sample itself is left as it was");
    }

    @Test
    void labelUsesTheAppsSizes() {
        assertEquals("12.5% · 4.5 MB", Sparklines.label(List.of(new Sparklines.Point(1, 1), new Sparklines.Point(12.5, 4_500_000))));
        assertEquals("0.0% · 1.2 GB", Sparklines.label(List.of(new Sparklines.Point(0, 1_234_000_000))));
        assertEquals("", Sparklines.label(List.of()));
    }
}
