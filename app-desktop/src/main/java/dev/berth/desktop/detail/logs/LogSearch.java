package dev.berth.desktop.detail.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Finds a search term in log lines: the ranges to highlight and the lines to jump between. */
public final class LogSearch {
    private LogSearch() {
    }

    /** A highlighted range {@code [start, end)} of a line's text. */
    public record Range(int start, int end) {
    }

    /** Non-overlapping occurrences of {@code query} in {@code text}, case-insensitive unless asked. */
    public static List<Range> ranges(String text, String query, boolean caseSensitive) {
        List<Range> out = new ArrayList<>();
        if (query == null || query.isEmpty() || text == null) {
            return out;
        }
        String t = caseSensitive ? text : text.toLowerCase(Locale.ROOT);
        String q = caseSensitive ? query : query.toLowerCase(Locale.ROOT);
        if (t.length() != text.length()) {
            // lower-casing changed lengths (rare scripts): match exactly rather than highlight wrong cells
            t = text;
            q = query;
        }
        int from = 0;
        int i;
        while ((i = t.indexOf(q, from)) >= 0) {
            out.add(new Range(i, i + q.length()));
            from = i + q.length();
        }
        return out;
    }

    /** Indices of the lines that contain the query, in order. */
    public static List<Integer> matchingLines(List<String> lines, String query, boolean caseSensitive) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!ranges(lines.get(i), query, caseSensitive).isEmpty()) {
                out.add(i);
            }
        }
        return out;
    }
}
