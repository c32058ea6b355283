package dev.berth.images.dockerfile;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Go's {@code time.ParseDuration}: "300ms", "1.5h", "2h45m", "-1s"; a bare "0" is allowed. */
public final class GoDuration {
    private static final Pattern PART = Pattern.compile("(\\d*\\.?\\d*)(ns|us|µs|μs|ms|s|m|h)");
    private static final Map<String, Long> NANOS = Map.of("ns", 1L, "us", 1_000L, "µs", 1_000L, "μs", 1_000L,
            "ms", 1_000_000L, "s", 1_000_000_000L, "m", 60_000_000_000L, "h", 3_600_000_000_000L);

    private GoDuration() {}

    public static Duration parse(String s) {
        String orig = s;
        boolean neg = false;
        if (s.startsWith("-") || s.startsWith("+")) {
            neg = s.startsWith("-");
            s = s.substring(1);
        }
        if (s.equals("0")) return Duration.ZERO;
        if (s.isEmpty()) throw invalid(orig);
        Matcher m = PART.matcher(s);
        int pos = 0;
        BigDecimal total = BigDecimal.ZERO;
        while (pos < s.length()) {
            if (!m.find(pos) || m.start() != pos) {
                boolean hasNumber = pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.');
                if (hasNumber) {
                    int end = pos;
                    while (end < s.length() && (Character.isDigit(s.charAt(end)) || s.charAt(end) == '.')) end++;
                    if (end == s.length()) {
                        throw new IllegalArgumentException("time: missing unit in duration \"" + orig + "\"");
                    }
                    int uend = end;
                    while (uend < s.length() && !Character.isDigit(s.charAt(uend)) && s.charAt(uend) != '.') uend++;
                    throw new IllegalArgumentException("time: unknown unit \"" + s.substring(end, uend)
                            + "\" in duration \"" + orig + "\"");
                }
                throw invalid(orig);
            }
            String num = m.group(1);
            if (num.isEmpty() || num.equals(".")) throw invalid(orig);
            total = total.add(new BigDecimal(num).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
            pos = m.end();
        }
        long nanos = total.longValue();
        return Duration.ofNanos(neg ? -nanos : nanos);
    }

    private static IllegalArgumentException invalid(String s) {
        return new IllegalArgumentException("time: invalid duration \"" + s + "\"");
    }
}
