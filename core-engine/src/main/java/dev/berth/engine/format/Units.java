package dev.berth.engine.format;

import java.math.BigInteger;
import java.time.Duration;
import java.util.Locale;

/**
 * Human-readable sizes and durations exactly as docker prints them (go-units), so that output
 * compared or parsed by scripts reads the same: {@code 4.26MB}, {@code 2 days}, {@code About an hour}.
 * The engine uses it for progress bars and {@code ps} status text and log max-size, the CLI for its
 * tables and size flags.
 */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB", "ZB", "YB"};
    private static final String[] BINARY = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB", "ZiB", "YiB"};

    private Units() {
    }

    /** go-units {@code HumanSize}: decimal units, at most 4 significant digits ({@code 4.261MB}). */
    public static String humanSize(double size) {
        return humanSizeWithPrecision(size, 4);
    }

    /** go-units {@code HumanSizeWithPrecision}; docker's image lists use 3 ({@code 4.26MB}). */
    public static String humanSizeWithPrecision(double size, int precision) {
        int i = 0;
        while (size >= 1000.0 && i < DECIMAL.length - 1) {
            size /= 1000.0;
            i++;
        }
        return formatG(size, precision) + DECIMAL[i];
    }

    /** go-units {@code BytesSize}: binary units, 4 significant digits ({@code 7.775GiB}). */
    public static String bytesSize(double size) {
        int i = 0;
        while (size >= 1024.0 && i < BINARY.length - 1) {
            size /= 1024.0;
            i++;
        }
        return formatG(size, 4) + BINARY[i];
    }

    /**
     * Go's {@code fmt.Sprintf("%.*g", precision, value)}: round to {@code precision} significant
     * digits, drop trailing zeros, and switch to an exponent when it is below -4 or not below the
     * precision (which is why docker can print {@code 1e+03kB}). Rounds the double's exact decimal
     * expansion half-even, as Go does, with BigInteger only: BigDecimal's class initialiser (JDK 25)
     * computes 5^65536, tens of milliseconds of every cold {@code berth images} (bench/cli/RESULTS.md).
     */
    static String formatG(double value, int precision) {
        if (value == 0) {
            return "0";
        }
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            return Double.isNaN(value) ? "NaN" : (value > 0 ? "+Inf" : "-Inf");
        }
        int p = Math.max(precision, 1);
        long bits = Double.doubleToRawLongBits(Math.abs(value));
        int biased = (int) ((bits >>> 52) & 0x7ff);
        long mantissa = bits & ((1L << 52) - 1);
        if (biased == 0) {
            biased = 1; // subnormal
        } else {
            mantissa |= 1L << 52;
        }
        int e2 = biased - 1075; // |value| == mantissa * 2^e2, exactly
        String digits;
        int scale;
        if (e2 >= 0) {
            digits = BigInteger.valueOf(mantissa).shiftLeft(e2).toString();
            scale = 0;
        } else {
            // mantissa / 2^k == mantissa * 5^k / 10^k
            digits = BigInteger.valueOf(mantissa).multiply(BigInteger.valueOf(5).pow(-e2)).toString();
            scale = -e2;
        }
        int exponent = digits.length() - 1 - scale;
        if (digits.length() > p) {
            char next = digits.charAt(p);
            boolean up;
            if (next != '5') {
                up = next > '5';
            } else {
                boolean tail = false;
                for (int k = p + 1; k < digits.length(); k++) {
                    if (digits.charAt(k) != '0') {
                        tail = true;
                        break;
                    }
                }
                up = tail || (digits.charAt(p - 1) - '0') % 2 == 1;
            }
            char[] kept = digits.substring(0, p).toCharArray();
            if (up) {
                int k = p - 1;
                while (k >= 0 && kept[k] == '9') {
                    kept[k] = '0';
                    k--;
                }
                if (k < 0) {
                    kept[0] = '1'; // 9.99 -> 10.0: the rest are zeros already
                    exponent++;
                } else {
                    kept[k]++;
                }
            }
            digits = new String(kept);
        }
        int len = digits.length();
        while (len > 1 && digits.charAt(len - 1) == '0') {
            len--;
        }
        digits = digits.substring(0, len);
        String sign = value < 0 ? "-" : "";
        if (exponent < -4 || exponent >= p) {
            String m = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
            int abs = Math.abs(exponent);
            return sign + m + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
        }
        if (exponent < 0) {
            return sign + "0." + "0".repeat(-exponent - 1) + digits;
        }
        if (digits.length() <= exponent + 1) {
            return sign + digits + "0".repeat(exponent + 1 - digits.length());
        }
        return sign + digits.substring(0, exponent + 1) + "." + digits.substring(exponent + 1);
    }

    /**
     * go-units {@code RAMInBytes} (parseSize): binary multiples, an optional {@code b}/{@code ib}, its errors.
     *
     * @throws IllegalArgumentException with go-units' error text ({@code invalid size: '...'},
     *                                  {@code invalid suffix: '...'}, strconv's), for the caller to frame
     */
    public static long ramInBytes(String value) {
        int sep = -1;
        for (int i = value.length() - 1; i >= 0 && sep < 0; i--) {
            if ("01234567890. ".indexOf(value.charAt(i)) >= 0) {
                sep = i;
            }
        }
        if (sep < 0) {
            throw new IllegalArgumentException("invalid size: '" + value + "'");
        }
        String num = value.charAt(sep) == ' ' ? value.substring(0, sep) : value.substring(0, sep + 1);
        String sfx = value.substring(sep + 1);
        // Go's ParseFloat syntax; Java's parseDouble alone would also take "1d", "NaN", hex floats.
        if (!num.matches("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?")) {
            throw new IllegalArgumentException("strconv.ParseFloat: parsing \"" + num + "\": invalid syntax");
        }
        double size = Double.parseDouble(num);
        if (size < 0) {
            throw new IllegalArgumentException("invalid size: '" + value + "'");
        }
        if (sfx.isEmpty()) {
            return (long) size;
        }
        String lower = sfx.toLowerCase(Locale.ROOT);
        long mult = switch (lower.charAt(0)) {
            case 'b' -> 1;
            case 'k' -> 1L << 10;
            case 'm' -> 1L << 20;
            case 'g' -> 1L << 30;
            case 't' -> 1L << 40;
            case 'p' -> 1L << 50;
            default -> 0;
        };
        boolean ok = mult != 0 && lower.length() <= 3
                && (lower.charAt(0) == 'b' ? lower.length() == 1
                : lower.length() == 1 || lower.equals(lower.charAt(0) + "b") || lower.equals(lower.charAt(0) + "ib"));
        if (!ok) {
            throw new IllegalArgumentException("invalid suffix: '" + lower + "'");
        }
        return (long) (size * mult);
    }

    /** go-units {@code HumanDuration}: {@code Less than a second}, {@code 3 minutes}, {@code 2 days}, ... */
    public static String humanDuration(Duration d) {
        double secondsExact = d.toNanos() / 1e9;
        long seconds = (long) secondsExact;
        if (seconds < 1) {
            return "Less than a second";
        } else if (seconds == 1) {
            return "1 second";
        } else if (seconds < 60) {
            return seconds + " seconds";
        }
        long minutes = (long) (secondsExact / 60);
        if (minutes == 1) {
            return "About a minute";
        } else if (minutes < 60) {
            return minutes + " minutes";
        }
        long hours = (long) (secondsExact / 3600 + 0.5);
        if (hours == 1) {
            return "About an hour";
        } else if (hours < 48) {
            return hours + " hours";
        } else if (hours < 24 * 7 * 2) {
            return hours / 24 + " days";
        } else if (hours < 24 * 30 * 2) {
            return hours / 24 / 7 + " weeks";
        } else if (hours < 24 * 365 * 2) {
            return hours / 24 / 30 + " months";
        }
        return (long) (secondsExact / 3600) / 24 / 365 + " years";
    }

    /** Go's {@code time.Duration.String()} for whole seconds: {@code 0s}, {@code 45s}, {@code 1m5s}, {@code 2h0m1s}. */
    public static String goDuration(long seconds) {
        if (seconds == 0) {
            return "0s";
        }
        StringBuilder sb = new StringBuilder();
        if (seconds < 0) {
            sb.append('-');
            seconds = -seconds;
        }
        long h = seconds / 3600;
        long m = (seconds % 3600) / 60;
        long s = seconds % 60;
        if (h > 0) {
            sb.append(h).append('h').append(m).append('m');
        } else if (m > 0) {
            sb.append(m).append('m');
        }
        return sb.append(s).append('s').toString();
    }

    /** docker's {@code stringid.TruncateID}: drop the algorithm, keep 12 hex digits. */
    public static String truncateId(String id) {
        if (id == null) {
            return "";
        }
        int colon = id.indexOf(':');
        String hex = colon >= 0 ? id.substring(colon + 1) : id;
        return hex.length() > 12 ? hex.substring(0, 12) : hex;
    }

    /** docker's JSONProgress bar: {@code [=====>      ]  1.2MB/4.5MB} (go-units HumanSize for the sizes). */
    public static String progressBar(long current, long total) {
        if (total <= 0) {
            return humanSize(current);
        }
        int width = 50;
        int filled = (int) Math.min(width, current * width / total);
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < width; i++) {
            b.append(i < filled - 1 || (i == filled - 1 && filled == width) ? '=' : i == filled - 1 ? '>' : ' ');
        }
        return b.append("] ").append(String.format("%8s", humanSize(current))).append('/').append(humanSize(total)).toString();
    }
}
