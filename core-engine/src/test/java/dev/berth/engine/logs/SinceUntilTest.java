package dev.berth.engine.logs;

import dev.berth.errors.BerthException;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class SinceUntilTest {
    /** 2024-03-25T12:00:00Z, in a zone with a half-hour offset (-02:30, daylight time) so that "local" is visible. */
    private static final ZonedDateTime NOW = ZonedDateTime.of(2024, 3, 25, 9, 30, 0, 0, ZoneId.of("America/St_Johns"));
    private static final long NOW_S = 1711368000L;

    @Test
    void durationsCountBackFromNow() {
        assertEquals(Long.toString(NOW_S - 600), SinceUntil.forApi("10m", NOW));
        assertEquals(Long.toString(NOW_S - 5400), SinceUntil.forApi("1h30m", NOW));
        assertEquals(Long.toString(NOW_S - 5400), SinceUntil.forApi("1.5h", NOW));
        assertEquals(Long.toString(NOW_S + 60), SinceUntil.forApi("-1m", NOW));
    }

    @Test
    void rfc3339WithAZoneIsThatInstant() {
        assertEquals("1711368000.000000000", SinceUntil.forApi("2024-03-25T12:00:00Z", NOW));
        assertEquals("1711368000.500000000", SinceUntil.forApi("2024-03-25T13:00:00.5+01:00", NOW));
        assertEquals("1711368000.000000000", SinceUntil.forApi("2024-03-25T13:00+01:00", NOW));
        assertEquals("1711324800.000000000", SinceUntil.forApi("2024-03-25Z", NOW));
    }

    @Test
    void withoutAZoneItIsLocalTime() {
        assertEquals("1711368000.000000000", SinceUntil.forApi("2024-03-25T09:30:00", NOW));
        assertEquals("1711368000.000000000", SinceUntil.forApi("2024-03-25T09:30", NOW));
        assertEquals("1711368000.123000000", SinceUntil.forApi("2024-03-25T09:30:00.123", NOW));
        // Midnight in St John's (-02:30 in March) is 02:30 UTC.
        assertEquals("1711333800.000000000", SinceUntil.forApi("2024-03-25", NOW));
    }

    @Test
    void unixSecondsPassThroughAndTheServerAgrees() {
        assertEquals("1711368000.25", SinceUntil.forApi("1711368000.25", NOW));
        String sent = SinceUntil.forApi("2024-03-25T13:00:00.5+01:00", NOW);
        LogOptions o = LogOptions.fromQuery(Map.of("stdout", List.of("1"), "since", List.of(sent)));
        assertEquals(java.time.Instant.parse("2024-03-25T12:00:00.5Z"), o.since());
    }

    @Test
    void nonsenseIsRejected() {
        assertEquals("failed to parse value as time or duration: \"soon\"",
                assertThrows(BerthException.class, () -> SinceUntil.forApi("soon", NOW)).getMessage());
        assertThrows(BerthException.class, () -> SinceUntil.forApi("2024-13-01", NOW));
    }
}
