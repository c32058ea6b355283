package dev.berth.desktop.detail.terminal;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class TerminalScreenTest {
    @Test
    void plainOutputCrLfAndBackspace() {
        TerminalScreen s = new TerminalScreen(5, 20, 100);
        s.feed("/ # echo hi\r\nhi\r\n/ # abX\bc");
        assertEquals("/ # echo hi\nhi\n/ # abc", s.text());
        assertEquals(2, s.cursorRow());
        assertEquals(7, s.cursorCol());
        s.feed("\rxy");
        assertEquals("xy# abc", s.rowText(2));
    }

    @Test
    void sgrColoursAreAppliedNotPrinted() {
        TerminalScreen s = new TerminalScreen(3, 20, 10);
        s.feed("\u001b[1;31mred\u001b[0m plain \u001b[94mblue\u001b]0;title\u0007");
        assertEquals("red plain blue", s.rowText(0));
        assertEquals(9, s.colorAt(0, 0)); // bold red → bright red
        assertEquals(TerminalScreen.DEFAULT_COLOR, s.colorAt(0, 4));
        assertEquals(12, s.colorAt(0, 10));
    }

    @Test
    void cursorMovementEraseAndScroll() {
        TerminalScreen s = new TerminalScreen(3, 10, 2);
        s.feed("a\r\nb\r\nc\r\nd\r\ne");
        assertEquals(java.util.List.of("a", "b"), s.scrollback());
        assertEquals("c", s.rowText(0));
        s.feed("\u001b[2J\u001b[2;3HX\u001b[A\u001b[DY");
        assertEquals("  Y", s.rowText(0));
        assertEquals("  X", s.rowText(1));
        s.feed("\u001b[1;1H\u001b[K");
        assertEquals("", s.rowText(0));
    }

    @Test
    void wrapsLongLinesAndResizes() {
        TerminalScreen s = new TerminalScreen(3, 4, 10);
        s.feed("abcdef");
        assertEquals("abcd", s.rowText(0));
        assertEquals("ef", s.rowText(1));
        s.resize(2, 8);
        assertEquals(8, s.cols());
        assertEquals("ef", s.rowText(1));
    }

    @Test
    void keys() {
        assertArrayEquals(new byte[] {3}, TerminalKeys.control('c'));
        assertArrayEquals(new byte[] {'\r'}, TerminalKeys.bytes(TerminalKeys.Key.ENTER));
        assertArrayEquals(new byte[] {27, '[', 'A'}, TerminalKeys.bytes(TerminalKeys.Key.UP));
    }
}
