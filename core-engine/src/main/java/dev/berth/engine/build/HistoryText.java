package dev.berth.engine.build;

import java.time.Duration;
import java.util.List;

/**
 * The created_by texts whose shape comes from Go's fmt rather than from the Dockerfile: moby writes
 * HEALTHCHECK's comment as {@code fmt.Sprintf("HEALTHCHECK %q", healthConfig)}, a struct pointer
 * printed field by field, durations through their String method and the retry count as a quoted rune.
 */
final class HistoryText {
    private HistoryText() {
    }

    /** {@code &{["CMD" "x"] "5s" "2s" "1s" '\x04'}}; with a start interval (moby 25's field) one more duration. */
    static String healthcheck(List<String> test, Duration interval, Duration timeout, Duration startPeriod,
                              Duration startInterval, Integer retries) {
        StringBuilder sb = new StringBuilder("&{").append(ImageBuilder.goQuote(test));
        sb.append(" \"").append(goDuration(interval)).append('"');
        sb.append(" \"").append(goDuration(timeout)).append('"');
        sb.append(" \"").append(goDuration(startPeriod)).append('"');
        if (startInterval != null) {
            sb.append(" \"").append(goDuration(startInterval)).append('"');
        }
        return sb.append(' ').append(quoteRune(retries == null ? 0 : retries)).append('}').toString();
    }

    /** Go's time.Duration.String: "0s", "1m30s", "1h0m0s", "1.5s", "100ms", "2µs". */
    static String goDuration(Duration d) {
        long n = d == null ? 0 : d.toNanos();
        if (n == 0) {
            return "0s";
        }
        String sign = n < 0 ? "-" : "";
        long u = Math.abs(n);
        if (u < 1_000L) {
            return sign + u + "ns";
        }
        if (u < 1_000_000L) {
            return sign + fraction(u, 1_000L) + "µs";
        }
        if (u < 1_000_000_000L) {
            return sign + fraction(u, 1_000_000L) + "ms";
        }
        String s = fraction(u % 60_000_000_000L, 1_000_000_000L) + "s";
        long minutes = u / 60_000_000_000L;
        if (minutes > 0) {
            s = (minutes % 60) + "m" + s;
            if (minutes >= 60) {
                s = (minutes / 60) + "h" + s;
            }
        }
        return sign + s;
    }

    private static String fraction(long v, long unit) {
        long whole = v / unit;
        long rest = v % unit;
        if (rest == 0) {
            return Long.toString(whole);
        }
        String digits = String.format("%0" + Long.toString(unit).length() + "d", rest).substring(1);
        return whole + "." + digits.replaceAll("0+$", "");
    }

    /** Go's %q of an int: strconv.QuoteRune. */
    static String quoteRune(int r) {
        String body = switch (r) {
            case 7 -> "\\a";
            case 8 -> "\\b";
            case 9 -> "\\t";
            case 10 -> "\\n";
            case 11 -> "\\v";
            case 12 -> "\\f";
            case 13 -> "\\r";
            case '\'' -> "\\'";
            case '\\' -> "\\\\";
            default -> r < 0x20 || r == 0x7f ? String.format("\\x%02x", r)
                    : r < 0x80 || Character.isLetterOrDigit(r) ? new String(Character.toChars(r))
                    : r <= 0xffff ? String.format("\\u%04x", r) : String.format("\\U%08x", r);
        };
        return "'" + body + "'";
    }
}
