package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The check's merge with the image's, its defaults, Docker's limits and Go's duration words. */
class HealthCheckTest {
    private static ObjectNode json(String s) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree(s);
    }

    @Test
    void theImagesCheckFillsWhatTheContainersLeavesOut() throws Exception {
        Map<String, Object> image = Map.of("Test", List.of("CMD", "true"), "Interval", 100_000_000L, "Retries", 7);
        ObjectNode none = json("{\"Image\":\"x\"}");
        HealthCheck.mergeImages(none, image);
        HealthCheck c = HealthCheck.of(none.path("Healthcheck"), List.of()).orElseThrow();
        assertEquals(List.of("true"), c.command());
        assertEquals(Duration.ofMillis(100), c.interval());
        assertEquals(HealthCheck.DEFAULT_TIMEOUT, c.timeout(), "zero means the default");
        assertEquals(7, c.retries());

        ObjectNode own = json("{\"Healthcheck\":{\"Test\":[\"CMD-SHELL\",\"exit 0\"],\"Interval\":0,\"Retries\":2}}");
        HealthCheck.mergeImages(own, image);
        HealthCheck mine = HealthCheck.of(own.path("Healthcheck"), List.of("/bin/ash", "-c")).orElseThrow();
        assertEquals(List.of("/bin/ash", "-c", "exit 0"), mine.command(), "CMD-SHELL through the container's Shell");
        assertEquals(Duration.ofMillis(100), mine.interval(), "its zero interval is the image's");
        assertEquals(2, mine.retries());

        ObjectNode off = json("{\"Healthcheck\":{\"Test\":[\"NONE\"]}}");
        HealthCheck.mergeImages(off, image);
        assertTrue(HealthCheck.of(off.path("Healthcheck"), List.of()).isEmpty(), "--no-healthcheck");
        assertTrue(HealthCheck.of(json("{}").path("Healthcheck"), List.of()).isEmpty());
    }

    @Test
    void dockersLimitsAndGoDurations() throws Exception {
        assertEquals("Timeout in Healthcheck cannot be less than 1ms",
                assertThrows(BerthException.class, () -> HealthCheck.validate(json("{\"Timeout\":999999}"))).getMessage());
        assertEquals("Retries in Healthcheck cannot be negative",
                assertThrows(BerthException.class, () -> HealthCheck.validate(json("{\"Retries\":-1}"))).getMessage());
        HealthCheck.validate(json("{\"Interval\":0,\"Timeout\":1000000}"));
        assertEquals("200ms", HealthCheck.goString(Duration.ofMillis(200)));
        assertEquals("30s", HealthCheck.goString(Duration.ofSeconds(30)));
        assertEquals("1m30s", HealthCheck.goString(Duration.ofSeconds(90)));
        assertEquals("1.5s", HealthCheck.goString(Duration.ofMillis(1500)));
        assertEquals("1h0m0s", HealthCheck.goString(Duration.ofHours(1)));
    }
}
