package dev.berth.desktop.detail.terminal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;

/**
 * The screen of a minimal VT100-style terminal: a grid of cells with a foreground colour each, a cursor,
 * and a bounded scrollback. It understands what a shell and simple tools print: text, CR, LF, BS, TAB,
 * BEL, SGR colours, cursor movement (CUU/CUD/CUF/CUB/CUP), erase in line/display; other escape
 * sequences (OSC titles, private modes) are consumed and ignored so they never show up as garbage.
 * Fed decoded characters from one thread; the view reads it on the UI thread, hence synchronized.
 */
public final class TerminalScreen {
    /** Colour index of a cell: -1 is the default, 0-7 normal, 8-15 bright. */
    public static final int DEFAULT_COLOR = -1;

    private enum State { TEXT, ESC, CSI, OSC, OSC_ESC }

    private final int maxScrollback;
    private final Deque<String> scrollback = new ArrayDeque<>();
    private int rows;
    private int cols;
    private char[][] chars;
    private int[][] colors;
    private int row;
    private int col;
    private int fg = DEFAULT_COLOR;
    private boolean bold;
    private State state = State.TEXT;
    private final StringBuilder csi = new StringBuilder();
    private long version;

    public TerminalScreen(int rows, int cols, int maxScrollback) {
        this.maxScrollback = maxScrollback;
        this.rows = rows;
        this.cols = cols;
        this.chars = blankChars(rows, cols);
        this.colors = blankColors(rows, cols);
    }

    public synchronized int rows() {
        return rows;
    }

    public synchronized int cols() {
        return cols;
    }

    public synchronized int cursorRow() {
        return row;
    }

    public synchronized int cursorCol() {
        return col;
    }

    /** Bumped on every change, so the view repaints only when something changed. */
    public synchronized long version() {
        return version;
    }

    public synchronized void feed(CharSequence text) {
        for (int i = 0; i < text.length(); i++) {
            feed(text.charAt(i));
        }
        version++;
    }

    private void feed(char c) {
        switch (state) {
            case TEXT -> text(c);
            case ESC -> {
                if (c == '[') {
                    state = State.CSI;
                    csi.setLength(0);
                } else if (c == ']') {
                    state = State.OSC;
                } else {
                    state = State.TEXT; // ESC 7, ESC 8, ESC = ...: not needed by a shell
                }
            }
            case CSI -> {
                if (c >= 0x40 && c <= 0x7e) {
                    csi(c, csi.toString());
                    state = State.TEXT;
                } else {
                    csi.append(c);
                }
            }
            case OSC -> {
                if (c == 7) {
                    state = State.TEXT;
                } else if (c == 27) {
                    state = State.OSC_ESC;
                }
            }
            case OSC_ESC -> state = c == '\\' ? State.TEXT : State.OSC;
        }
    }

    private void text(char c) {
        switch (c) {
            case 27 -> state = State.ESC;
            case '\r' -> col = 0;
            case '\n', 11, 12 -> lineFeed();
            case '\b' -> col = Math.max(0, col - 1);
            case '\t' -> col = Math.min(cols - 1, (col / 8 + 1) * 8);
            case 7, 0 -> {
            }
            default -> {
                if (c < 32) {
                    return;
                }
                if (col >= cols) {
                    col = 0;
                    lineFeed();
                }
                chars[row][col] = c;
                colors[row][col] = bold && fg >= 0 && fg < 8 ? fg + 8 : fg;
                col++;
            }
        }
    }

    private void lineFeed() {
        if (row == rows - 1) {
            scrollUp();
        } else {
            row++;
        }
    }

    private void scrollUp() {
        scrollback.addLast(rowText(0));
        while (scrollback.size() > maxScrollback) {
            scrollback.removeFirst();
        }
        System.arraycopy(chars, 1, chars, 0, rows - 1);
        System.arraycopy(colors, 1, colors, 0, rows - 1);
        chars[rows - 1] = blankRow(cols);
        colors[rows - 1] = blankColorRow(cols);
    }

    private void csi(char cmd, String params) {
        if (params.startsWith("?") || params.startsWith(">")) {
            return; // private modes (cursor visibility, bracketed paste): nothing to draw
        }
        int[] p = parse(params);
        int n = Math.max(1, p.length > 0 ? p[0] : 1);
        switch (cmd) {
            case 'm' -> sgr(p);
            case 'A' -> row = Math.max(0, row - n);
            case 'B' -> row = Math.min(rows - 1, row + n);
            case 'C' -> col = Math.min(cols - 1, col + n);
            case 'D' -> col = Math.max(0, col - n);
            case 'G' -> col = clamp(n - 1, cols);
            case 'H', 'f' -> {
                row = clamp((p.length > 0 && p[0] > 0 ? p[0] : 1) - 1, rows);
                col = clamp((p.length > 1 && p[1] > 0 ? p[1] : 1) - 1, cols);
            }
            case 'K' -> eraseLine(p.length > 0 ? p[0] : 0);
            case 'J' -> eraseDisplay(p.length > 0 ? p[0] : 0);
            default -> {
            }
        }
    }

    private void sgr(int[] p) {
        if (p.length == 0) {
            p = new int[] {0};
        }
        for (int i = 0; i < p.length; i++) {
            int v = p[i];
            if (v == 0) {
                fg = DEFAULT_COLOR;
                bold = false;
            } else if (v == 1) {
                bold = true;
            } else if (v == 22) {
                bold = false;
            } else if (v >= 30 && v <= 37) {
                fg = v - 30;
            } else if (v == 39) {
                fg = DEFAULT_COLOR;
            } else if (v >= 90 && v <= 97) {
                fg = v - 90 + 8;
            } else if ((v == 38 || v == 48) && i + 1 < p.length) {
                // 256-colour and true-colour forms: skip their arguments; 256's low 16 map directly
                if (p[i + 1] == 5 && i + 2 < p.length) {
                    if (v == 38) {
                        fg = p[i + 2] < 16 ? p[i + 2] : DEFAULT_COLOR;
                    }
                    i += 2;
                } else if (p[i + 1] == 2) {
                    i += 4;
                }
            }
        }
    }

    private void eraseLine(int mode) {
        int from = mode == 0 ? col : 0;
        int to = mode == 1 ? Math.min(col + 1, cols) : cols;
        for (int c = from; c < to; c++) {
            chars[row][c] = ' ';
            colors[row][c] = DEFAULT_COLOR;
        }
    }

    private void eraseDisplay(int mode) {
        if (mode == 2 || mode == 3) {
            chars = blankChars(rows, cols);
            colors = blankColors(rows, cols);
            return;
        }
        eraseLine(mode);
        int start = mode == 0 ? row + 1 : 0;
        int end = mode == 0 ? rows : row;
        for (int r = start; r < end; r++) {
            chars[r] = blankRow(cols);
            colors[r] = blankColorRow(cols);
        }
    }

    /** Resizes the grid, keeping the top-left content, as the terminal's window changes size. */
    public synchronized void resize(int newRows, int newCols) {
        if (newRows <= 0 || newCols <= 0 || (newRows == rows && newCols == cols)) {
            return;
        }
        // keep the rows around the cursor: drop lines off the top into scrollback when shrinking
        while (row >= newRows) {
            scrollUp();
            row--;
        }
        char[][] nc = blankChars(newRows, newCols);
        int[][] ncol = blankColors(newRows, newCols);
        for (int r = 0; r < Math.min(rows, newRows); r++) {
            System.arraycopy(chars[r], 0, nc[r], 0, Math.min(cols, newCols));
            System.arraycopy(colors[r], 0, ncol[r], 0, Math.min(cols, newCols));
        }
        rows = newRows;
        cols = newCols;
        chars = nc;
        colors = ncol;
        col = Math.min(col, cols - 1);
        version++;
    }

    /** One screen row, trailing blanks trimmed. */
    public synchronized String rowText(int r) {
        return new String(chars[r]).stripTrailing();
    }

    public synchronized int colorAt(int r, int c) {
        return colors[r][c];
    }

    public synchronized char charAt(int r, int c) {
        return chars[r][c];
    }

    /** Scrollback then screen, trailing blank lines dropped: what "copy all" and the tests read. */
    public synchronized String text() {
        List<String> lines = new ArrayList<>(scrollback);
        for (int r = 0; r < rows; r++) {
            lines.add(rowText(r));
        }
        int end = lines.size();
        while (end > 0 && lines.get(end - 1).isEmpty()) {
            end--;
        }
        return String.join("\n", lines.subList(0, end));
    }

    public synchronized List<String> scrollback() {
        return List.copyOf(scrollback);
    }

    private static int[] parse(String params) {
        if (params.isEmpty()) {
            return new int[0];
        }
        String[] parts = params.split("[;:]", -1);
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            try {
                out[i] = parts[i].isEmpty() ? 0 : Integer.parseInt(parts[i]);
            } catch (NumberFormatException e) {
                out[i] = 0;
            }
        }
        return out;
    }

    private static int clamp(int v, int size) {
        return Math.max(0, Math.min(size - 1, v));
    }

    private static char[] blankRow(int cols) {
        char[] r = new char[cols];
        Arrays.fill(r, ' ');
        return r;
    }

    private static int[] blankColorRow(int cols) {
        int[] r = new int[cols];
        Arrays.fill(r, DEFAULT_COLOR);
        return r;
    }

    private static char[][] blankChars(int rows, int cols) {
        char[][] g = new char[rows][];
        for (int r = 0; r < rows; r++) {
            g[r] = blankRow(cols);
        }
        return g;
    }

    private static int[][] blankColors(int rows, int cols) {
        int[][] g = new int[rows][];
        for (int r = 0; r < rows; r++) {
            g[r] = blankColorRow(cols);
        }
        return g;
    }
}
