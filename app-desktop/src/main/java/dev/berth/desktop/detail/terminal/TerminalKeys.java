package dev.berth.desktop.detail.terminal;

import java.nio.charset.StandardCharsets;

/** The bytes a VT100/xterm sends for keys: what the terminal widget writes to the exec's stdin. */
public final class TerminalKeys {
    private TerminalKeys() {
    }

    public enum Key { ENTER, BACKSPACE, TAB, ESCAPE, UP, DOWN, RIGHT, LEFT, HOME, END, DELETE, PAGE_UP, PAGE_DOWN }

    public static byte[] bytes(Key key) {
        String s = switch (key) {
            case ENTER -> "\r";
            case BACKSPACE -> "\u007f";
            case TAB -> "\t";
            case ESCAPE -> "\u001b";
            case UP -> "\u001b[A";
            case DOWN -> "\u001b[B";
            case RIGHT -> "\u001b[C";
            case LEFT -> "\u001b[D";
            case HOME -> "\u001b[H";
            case END -> "\u001b[F";
            case DELETE -> "\u001b[3~";
            case PAGE_UP -> "\u001b[5~";
            case PAGE_DOWN -> "\u001b[6~";
        };
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /** Ctrl+letter: the control character (Ctrl+C is 0x03). */
    public static byte[] control(char letter) {
        char up = Character.toUpperCase(letter);
        if (up < '@' || up > '_') {
            return new byte[0];
        }
        return new byte[] {(byte) (up - '@')};
    }

    public static byte[] typed(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
