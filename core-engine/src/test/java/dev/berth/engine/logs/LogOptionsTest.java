package dev.berth.engine.logs;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogOptionsTest {
    private static LogOptions q(String... kv) {
        Map<String, List<String>> m = new HashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put(kv[i], List.of(kv[i + 1]));
        }
        return LogOptions.fromQuery(m);
    }

    private static String error(String... kv) {
        BerthException e = assertThrows(BerthException.class, () -> q(kv));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
        return e.getMessage();
    }

    @Test
    void readsWhatTheDockerCliSends() {
        LogOptions o = q("stdout", "1", "stderr", "1", "follow", "1", "timestamps", "1",
                "since", "1700000000.5", "until", "1700000100", "tail", "10");
        assertEquals(new LogOptions(true, true, true, true, Instant.ofEpochSecond(1700000000, 500_000_000),
                Instant.ofEpochSecond(1700000100), 10), o);
    }

    @Test
    void defaultsAndDockersBooleans() {
        LogOptions o = q("stdout", "true", "stderr", "none", "follow", "no", "timestamps", "0");
        assertTrue(o.stdout());
        assertFalse(o.stderr());
        assertFalse(o.follow());
        assertFalse(o.timestamps());
        assertNull(o.since());
        assertNull(o.until());
        assertEquals(LogOptions.ALL, o.tail());
        assertTrue(q("stderr", "yes").stderr());
    }

    @Test
    void tailAllOrAnythingNotANumberMeansAll() {
        assertEquals(LogOptions.ALL, q("stdout", "1", "tail", "all").tail());
        assertEquals(LogOptions.ALL, q("stdout", "1", "tail", "lots").tail());
        assertEquals(LogOptions.ALL, q("stdout", "1", "tail", "-3").tail());
        assertEquals(0, q("stdout", "1", "tail", "0").tail());
    }

    @Test
    void untilZeroIsNoBoundAndFractionsBeyondNanosAreCut() {
        assertNull(q("stdout", "1", "until", "0").until());
        assertEquals(Instant.ofEpochSecond(12, 123_456_789),
                q("stdout", "1", "since", "12.12345678912345").since());
        assertEquals(Instant.ofEpochSecond(12, 100_000_000), q("stdout", "1", "since", "12.1").since());
    }

    @Test
    void badValuesFailWithDockersMessages() {
        assertEquals("must specify at least one of 'stdout' or 'stderr'", error("follow", "1"));
        assertEquals("invalid value for \"since\": invalid timestamp \"abc\": invalid seconds \"abc\": invalid syntax",
                error("stdout", "1", "since", "abc"));
        assertEquals("invalid value for \"until\": invalid timestamp \"1.2x\": invalid nanoseconds: "
                + "invalid character 'x' at position 1", error("stdout", "1", "until", "1.2x"));
        assertEquals("invalid value for \"since\": invalid timestamp \"99999999999999999999\": "
                + "invalid seconds \"99999999999999999999\": value out of range",
                error("stdout", "1", "since", "99999999999999999999"));
        assertEquals("invalid value for \"since\": invalid timestamp \"1.000000000000000000001\": "
                + "invalid nanoseconds: length 21 exceeds maximum 20",
                error("stdout", "1", "since", "1.000000000000000000001"));
    }
}
