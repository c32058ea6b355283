package dev.berth.cli.format;

import java.util.ArrayList;
import java.util.List;

/**
 * A port of Go's {@code text/tabwriter} (elastic tabstops) as docker configures it, so columns line
 * up exactly as docker's do: a column is as wide as its widest cell plus the padding, and never
 * narrower than the minimum width; the last cell of a line is not part of any column; a line
 * without tabs ends a block of aligned lines.
 */
public final class TabWriter {
    private final int minWidth;
    private final int padding;
    private final StringBuilder out = new StringBuilder();
    private final List<List<String>> lines = new ArrayList<>();
    private final List<Integer> widths = new ArrayList<>();
    private List<String> line = new ArrayList<>();
    private StringBuilder cell = new StringBuilder();

    public TabWriter(int minWidth, int padding) {
        this.minWidth = minWidth;
        this.padding = padding;
    }

    /** docker's table writer: {@code tabwriter.NewWriter(out, 10, 1, 3, ' ', 0)}. */
    public static TabWriter table() {
        return new TabWriter(10, 3);
    }

    public TabWriter write(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\t') {
                line.add(cell.toString());
                cell = new StringBuilder();
            } else if (c == '\n') {
                line.add(cell.toString());
                cell = new StringBuilder();
                int cells = line.size();
                lines.add(line);
                line = new ArrayList<>();
                if (cells == 1) {
                    // A line with one cell cannot affect later columns: format what we have.
                    flushLines();
                }
            } else {
                cell.append(c);
            }
        }
        return this;
    }

    /** Formats everything written so far, including an unterminated last line, and returns it. */
    public String flush() {
        if (cell.length() > 0 || !line.isEmpty()) {
            line.add(cell.toString());
            cell = new StringBuilder();
            lines.add(line);
            line = new ArrayList<>();
            flushLines();
            // The last line had no newline; writeLines added one for every line, so drop it.
            out.setLength(out.length() - 1);
        } else {
            flushLines();
        }
        String s = out.toString();
        out.setLength(0);
        return s;
    }

    private void flushLines() {
        format(0, lines.size());
        lines.clear();
        widths.clear();
    }

    private void format(int line0, int line1) {
        int column = widths.size();
        for (int current = line0; current < line1; current++) {
            if (column >= lines.get(current).size() - 1) {
                continue;
            }
            // A cell exists in this column: this starts a block of lines that have one.
            writeLines(line0, current);
            line0 = current;
            int width = minWidth;
            for (; current < line1; current++) {
                List<String> l = lines.get(current);
                if (column >= l.size() - 1) {
                    break;
                }
                int w = width(l.get(column)) + padding;
                if (w > width) {
                    width = w;
                }
            }
            widths.add(width);
            format(line0, current);
            widths.removeLast();
            // As in Go, the increment skips the line that ended the block: it has no cell here.
            line0 = current;
        }
        writeLines(line0, line1);
    }

    private void writeLines(int line0, int line1) {
        for (int i = line0; i < line1; i++) {
            List<String> l = lines.get(i);
            for (int j = 0; j < l.size(); j++) {
                String c = l.get(j);
                out.append(c);
                if (j < widths.size()) {
                    out.repeat(' ', widths.get(j) - width(c));
                }
            }
            out.append('\n');
        }
    }

    static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            w += charWidth(cp);
            i += Character.charCount(cp);
        }
        return w;
    }

    /** East Asian wide and fullwidth characters take two columns, as go-runewidth counts them. */
    /** docker's {@code formatter.Ellipsis}: fit {@code s} in {@code max} columns, ending with {@code …} when cut. */
    public static String ellipsis(String s, int max) {
        if (max <= 0) {
            return "";
        }
        int[] cps = s.codePoints().toArray();
        if (max == 1) {
            return cps.length == 0 ? "" : new String(cps, 0, 1);
        }
        int width = 0;
        for (int cp : cps) {
            width += charWidth(cp);
        }
        if (width <= max) {
            return s;
        }
        int used = 0;
        for (int i = 0; i < cps.length; i++) {
            int w = charWidth(cps[i]);
            if (used + w > max - 1) {
                return new String(cps, 0, i) + "…";
            }
            used += w;
        }
        return s;
    }

    static int charWidth(int cp) {
        if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3)
                || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60)
                || (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1FAFF) || (cp >= 0x20000 && cp <= 0x3FFFD)) {
            return 2;
        }
        return 1;
    }
}
