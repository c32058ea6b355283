package dev.berth.desktop.ui;

import java.util.Locale;

/**
 * Sizes as the app shows them: decimal units with one decimal and a space ("12.3 MB"), the way
 * Docker Desktop writes them. The CLI's tables use go-units' spacing instead ({@code format.Units}),
 * which is docker's and would look cramped in a table cell.
 */
public final class Sizes {
    private static final String[] UNITS = {"kB", "MB", "GB", "TB"};

    private Sizes() {
    }

    public static String human(long bytes) {
        if (bytes < 1000) {
            return bytes + " B";
        }
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < UNITS.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, UNITS[u]);
    }
}
