package dev.berth.engine.logs;

import dev.berth.errors.BerthException;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The query of {@code GET /containers/{id}/logs}, read the way moby's getContainersLogs reads it.
 *
 * @param since keep lines at or after this instant; null for no bound
 * @param until keep lines at or before this instant; null for no bound
 * @param tail  how many of the last lines to serve; {@link #ALL} for all
 */
public record LogOptions(boolean stdout, boolean stderr, boolean follow, boolean timestamps,
                         Instant since, Instant until, int tail) {

    public static final int ALL = -1;

    /** Docker's limit on fraction digits (daemon/internal/timestamp), kept so the same input fails alike. */
    private static final int MAX_FRACTION_DIGITS = 20;

    public LogOptions {
        if (!stdout && !stderr) {
            throw BerthException.invalid("must specify at least one of 'stdout' or 'stderr'");
        }
        if (tail < ALL) {
            tail = ALL;
        }
    }

    public static LogOptions all() {
        return new LogOptions(true, true, false, false, null, null, ALL);
    }

    public LogOptions withFollow(boolean f) {
        return new LogOptions(stdout, stderr, f, timestamps, since, until, tail);
    }

    public LogOptions withTail(int n) {
        return new LogOptions(stdout, stderr, follow, timestamps, since, until, n);
    }

    public LogOptions withTimestamps(boolean t) {
        return new LogOptions(stdout, stderr, follow, t, since, until, tail);
    }

    public LogOptions withStreams(boolean out, boolean err) {
        return new LogOptions(out, err, follow, timestamps, since, until, tail);
    }

    public LogOptions withWindow(Instant from, Instant to) {
        return new LogOptions(stdout, stderr, follow, timestamps, from, to, tail);
    }

    public boolean wants(StdStream s) {
        return s == StdStream.STDOUT ? stdout : s == StdStream.STDERR && stderr;
    }

    /**
     * Reads Docker's query parameters. Booleans follow httputils.BoolValue ("", 0, no, false and none are
     * false, anything else true); {@code until=0} means no bound; a {@code tail} that is not a number
     * (such as "all") means all lines, because moby ignores the Atoi error. Bad timestamps fail with
     * moby's messages so that scripts matching on them keep working.
     */
    public static LogOptions fromQuery(Map<String, List<String>> query) {
        boolean out = bool(query, "stdout");
        boolean err = bool(query, "stderr");
        if (!out && !err) {
            throw BerthException.invalid("must specify at least one of 'stdout' or 'stderr'");
        }
        Instant since = null;
        String s = first(query, "since");
        if (!s.isEmpty()) {
            since = timestamp("since", s);
        }
        Instant until = null;
        String u = first(query, "until");
        if (!u.isEmpty() && !u.equals("0")) {
            until = timestamp("until", u);
        }
        int tail = ALL;
        String t = first(query, "tail").trim();
        if (!t.isEmpty()) {
            try {
                tail = Integer.parseInt(t);
            } catch (NumberFormatException e) {
                tail = ALL;
            }
        }
        // since=0 is the epoch, which bounds nothing; keep it as "no bound" so it costs no comparisons.
        if (since != null && since.equals(Instant.EPOCH)) {
            since = null;
        }
        return new LogOptions(out, err, bool(query, "follow"), bool(query, "timestamps"), since, until, tail);
    }

    private static String first(Map<String, List<String>> query, String key) {
        List<String> v = query.get(key);
        return v == null || v.isEmpty() || v.getFirst() == null ? "" : v.getFirst();
    }

    private static boolean bool(Map<String, List<String>> query, String key) {
        return switch (first(query, key).trim().toLowerCase(Locale.ROOT)) {
            case "", "0", "no", "false", "none" -> false;
            default -> true;
        };
    }

    /**
     * moby's timestamp.ParseUnixTimestamp: seconds, optionally a dot and up to 20 fraction digits of
     * which the first 9 count. The API takes only this form; the docker CLI turns RFC3339 and durations
     * into it before sending, and so should Berth's CLI.
     */
    static Instant timestamp(String param, String value) {
        String prefix = "invalid value for \"" + param + "\": invalid timestamp \"" + value + "\": ";
        int dot = value.indexOf('.');
        String secs = dot < 0 ? value : value.substring(0, dot);
        String frac = dot < 0 ? "" : value.substring(dot + 1);
        long sec;
        try {
            sec = Long.parseLong(secs);
        } catch (NumberFormatException e) {
            String why = secs.matches("[+-]?[0-9]+") ? "value out of range" : "invalid syntax";
            throw BerthException.invalid(prefix + "invalid seconds \"" + secs + "\": " + why);
        }
        if (frac.isEmpty()) {
            return Instant.ofEpochSecond(sec);
        }
        if (frac.length() > MAX_FRACTION_DIGITS) {
            throw BerthException.invalid(prefix + "invalid nanoseconds: length " + frac.length()
                    + " exceeds maximum " + MAX_FRACTION_DIGITS);
        }
        for (int i = 0; i < frac.length(); i++) {
            char c = frac.charAt(i);
            if (c < '0' || c > '9') {
                throw BerthException.invalid(prefix + "invalid nanoseconds: invalid character '" + c
                        + "' at position " + i);
            }
        }
        String nine = frac.length() > 9 ? frac.substring(0, 9) : (frac + "000000000").substring(0, 9);
        return Instant.ofEpochSecond(sec, Long.parseLong(nine));
    }
}
