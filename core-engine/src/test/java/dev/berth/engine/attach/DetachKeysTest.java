package dev.berth.engine.attach;

import dev.berth.errors.BerthException;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DetachKeysTest {
    @Test
    void parsesDockersFormat() {
        assertArrayEquals(new byte[] {16, 17}, DetachKeys.parse(null).bytes());
        assertArrayEquals(new byte[] {16, 17}, DetachKeys.parse("").bytes());
        assertArrayEquals(new byte[] {24, 'x'}, DetachKeys.parse("ctrl-x,x").bytes());
        assertArrayEquals(new byte[] {0, 27, 28, 29, 30, 31, 1}, DetachKeys.parse("ctrl-@,ctrl-[,ctrl-\\,ctrl-],ctrl-^,ctrl-_,CTRL-A").bytes());
        var e = assertThrows(BerthException.class, () -> DetachKeys.parse("ctrl-1"));
        assertEquals("Invalid detach keys (ctrl-1) provided", e.getMessage());
        assertThrows(BerthException.class, () -> DetachKeys.parse("ab"));
    }

    @Test
    void theSequenceIsSwallowedAndAPartialOneIsPassedOn() {
        DetachKeys.Matcher m = DetachKeys.parse(null).matcher();
        assertArrayEquals("ab".getBytes(StandardCharsets.US_ASCII), m.filter(new byte[] {'a', 'b', 16}, 3));
        assertFalse(m.detached());
        // The held ctrl-p was not the start of the sequence after all: it goes through, before 'c'.
        assertArrayEquals(new byte[] {16, 'c'}, m.filter(new byte[] {'c'}, 1));
        assertArrayEquals(new byte[] {'d'}, m.filter(new byte[] {'d', 16, 17, 'e'}, 4));
        assertTrue(m.detached());
    }

    @Test
    void aRepeatedFirstKeyStillMatches() {
        DetachKeys.Matcher m = DetachKeys.parse(null).matcher();
        assertArrayEquals(new byte[] {16}, m.filter(new byte[] {16, 16, 17}, 3));
        assertTrue(m.detached());
    }
}
