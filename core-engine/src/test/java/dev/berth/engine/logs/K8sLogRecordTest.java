package dev.berth.engine.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class K8sLogRecordTest {
    @Test
    void parsesConmonsLocalOffsetTimestampToTheInstant() {
        K8sLogRecord r = K8sLogRecord.parse("2024-03-25T13:20:42.123456789+01:00 stderr F  two  spaces ");
        assertEquals(Instant.parse("2024-03-25T12:20:42.123456789Z"), r.timestamp());
        assertEquals(StdStream.STDERR, r.stream());
        assertFalse(r.partial());
        assertEquals(" two  spaces ", new String(r.content(), StandardCharsets.UTF_8));
    }

    @Test
    void partialTagAndEmptyContent() {
        K8sLogRecord p = K8sLogRecord.parse("2024-03-25T12:20:42Z stdout P ");
        assertTrue(p.partial());
        assertEquals(StdStream.STDOUT, p.stream());
        assertArrayEquals(new byte[0], p.content());
        assertEquals(Instant.parse("2024-03-25T12:20:42Z"), p.timestamp());
    }

    @Test
    void somethingElseIsNotARecord() {
        assertNull(K8sLogRecord.parse("garbage"));
        assertNull(K8sLogRecord.parse("2024-03-25T12:20:42Z stdin F x"));
        assertNull(K8sLogRecord.parse("2024-03-25T12:20:42Z stdout X x"));
        assertNull(K8sLogRecord.parse("2024-03-25T12:20:42Z stdout F"));
        assertNull(K8sLogRecord.parse("2024-03-25T12:20:42Z stdout Fx"));
        assertNull(K8sLogRecord.parse("yesterday stdout F x"));
    }

    @Test
    void contentIsKeptAsBytesSoAHalfCharacterSurvives() {
        byte[] line = ConmonLog.record(ConmonLog.T0, "stdout", 'P', new byte[] {'a', (byte) 0xC3});
        K8sLogRecord r = K8sLogRecord.parse(line, 0, line.length - 1);
        assertArrayEquals(new byte[] {'a', (byte) 0xC3}, r.content());
        assertEquals(ConmonLog.T0, r.timestamp());
    }
}
