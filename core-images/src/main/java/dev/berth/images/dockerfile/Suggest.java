package dev.berth.images.dockerfile;

import java.util.Collection;
import java.util.Locale;

/** BuildKit's {@code util/suggest}: the " (did you mean x?)" hint for a near miss (Levenshtein distance < 3). */
final class Suggest {
    private Suggest() {}

    static String wrap(String message, String val, Collection<String> options, boolean caseSensitive) {
        String match = search(val, options, caseSensitive);
        return match == null ? message : message + " (did you mean " + match + "?)";
    }

    static String search(String val, Collection<String> options, boolean caseSensitive) {
        String orig = val;
        if (!caseSensitive) val = val.toLowerCase(Locale.ROOT);
        String match = null;
        int min = 3;
        for (String opt : options.stream().sorted().toList()) {
            if (!caseSensitive) opt = opt.toLowerCase(Locale.ROOT);
            if (val.equals(opt)) return null;
            int d = distance(val, opt);
            if (d < min) {
                match = caseSensitive ? opt : matchCase(opt, orig);
                min = d;
            }
        }
        return match;
    }

    private static String matchCase(String val, String orig) {
        if (orig.equals(orig.toLowerCase(Locale.ROOT))) return val.toLowerCase(Locale.ROOT);
        if (orig.equals(orig.toUpperCase(Locale.ROOT))) return val.toUpperCase(Locale.ROOT);
        return val;
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
