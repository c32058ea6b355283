package dev.berth.engine.logs;

import dev.berth.errors.BerthException;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The client half of {@code --since}/{@code --until}: the docker CLI (moby client/internal/timestamp
 * GetTimestamp) accepts a Go duration ("10m", "1h30m" before now), RFC3339 with or without a zone
 * (no zone means the local one), a date, or Unix seconds, and sends the API only
 * {@code seconds.nanoseconds}. The API side ({@link LogOptions#fromQuery}) accepts only that last form,
 * as Docker's does, so Berth's CLI converts with this before sending.
 */
public final class SinceUntil {
    private static final Pattern GO_DURATION = Pattern.compile("[-+]?(?:(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:ns|us|µs|ms|s|m|h))+");
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|ms|s|m|h)");
    private static final Pattern UNIX = Pattern.compile("[+-]?\\d+(?:\\.\\d+)?");

    private SinceUntil() {
    }

    /** The value to send as {@code since} or {@code until}, measured from {@code now} for a duration. */
    public static String forApi(String value, ZonedDateTime now) {
        if (!value.equals("0") && GO_DURATION.matcher(value).matches()) {
            return Long.toString(now.toInstant().minusNanos(durationNanos(value)).getEpochSecond());
        }
        boolean local = !(value.contains("z") || value.contains("Z") || value.contains("+"))
                && value.chars().filter(c -> c == '-').count() != 3;
        try {
            Instant t = parse(value, local, now.getZone());
            return t.getEpochSecond() + "." + String.format("%09d", t.getNano());
        } catch (DateTimeParseException e) {
            if (value.contains("-")) {
                throw BerthException.invalid("invalid time " + quote(value) + ": " + e.getMessage());
            }
            if (!UNIX.matcher(value).matches()) {
                throw BerthException.invalid("failed to parse value as time or duration: " + quote(value));
            }
            return value;
        }
    }

    private static Instant parse(String value, boolean local, ZoneId zone) {
        int colons = (int) value.chars().filter(c -> c == ':').count();
        boolean hasZ = value.contains("z") || value.contains("Z");
        if (!local && !hasZ && colons > 0) {
            colons--; // one colon belongs to the offset
        }
        String time;
        if (value.contains(".")) {
            time = "'T'HH:mm:ss";
        } else if (value.contains("T")) {
            time = switch (colons) {
                case 0 -> "'T'HH";
                case 1 -> "'T'HH:mm";
                default -> "'T'HH:mm:ss";
            };
        } else {
            time = "";
        }
        DateTimeFormatterBuilder b = new DateTimeFormatterBuilder().appendPattern("uuuu-MM-dd" + time);
        if (value.contains(".")) {
            b.appendFraction(ChronoField.NANO_OF_SECOND, 1, 9, true);
        }
        if (!local) {
            b.appendPattern("XXX");
        }
        DateTimeFormatter f = b.toFormatter();
        if (time.isEmpty()) {
            if (local) {
                return LocalDate.parse(value, f).atStartOfDay(zone).toInstant();
            }
            var parsed = f.parse(value);
            return LocalDate.from(parsed).atStartOfDay(java.time.ZoneOffset.from(parsed)).toInstant();
        }
        var parsed = f.parseBest(value, OffsetDateTime::from, LocalDateTime::from);
        if (parsed instanceof OffsetDateTime o) {
            return o.toInstant();
        }
        return ((LocalDateTime) parsed).atZone(zone).toInstant();
    }

    private static long durationNanos(String value) {
        boolean negative = value.startsWith("-");
        Matcher m = DURATION_PART.matcher(value);
        BigDecimal total = BigDecimal.ZERO;
        while (m.find()) {
            long unit = switch (m.group(2)) {
                case "ns" -> 1L;
                case "us", "µs" -> 1_000L;
                case "ms" -> 1_000_000L;
                case "s" -> 1_000_000_000L;
                case "m" -> 60_000_000_000L;
                default -> 3_600_000_000_000L;
            };
            String n = m.group(1);
            total = total.add(new BigDecimal(n.endsWith(".") ? n + "0" : n).multiply(BigDecimal.valueOf(unit)));
        }
        long nanos = total.longValue();
        return negative ? -nanos : nanos;
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
}
