package dev.berth.engine.format;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Units.formatG (BigInteger only) gives what the BigDecimal rounding it replaced gave, for any double. */
class FormatGTest {
    /** The earlier implementation: exact value, rounded half-even to p significant digits. */
    private static String reference(double value, int precision) {
        if (value == 0) {
            return "0";
        }
        int p = Math.max(precision, 1);
        BigDecimal rounded = new BigDecimal(value).round(new MathContext(p, RoundingMode.HALF_EVEN));
        int exponent = rounded.precision() - rounded.scale() - 1;
        if (exponent < -4 || exponent >= p) {
            String m = rounded.movePointLeft(exponent).stripTrailingZeros().toPlainString();
            int abs = Math.abs(exponent);
            return m + "e" + (exponent < 0 ? "-" : "+") + (abs < 10 ? "0" : "") + abs;
        }
        return rounded.stripTrailingZeros().toPlainString();
    }

    @Test
    void sameAsBigDecimalRoundingOnEdgesAndRandomValues() {
        double[] edges = {1, 9.995, 9.9949, 999.5, 999.4999, 1000, 0.5, 2.5, 3.5, 4.125, 4.135, 0.0001, 0.00012345, 0.00001, 1e21,
            123456789, 4.261234, 77.863124, 124.999999, 999.9999, 9.5, 0.95, 99.95, Double.MIN_VALUE, Double.MAX_VALUE, 1e-300,
            -1.5, -0.00012, -999.99, 5e-5, 1.0000000000000002, 0.1, 0.2, 0.3, 1.005, 2.675};
        for (int p = 0; p <= 6; p++) {
            for (double v : edges) {
                assertEquals(reference(v, p), Units.formatG(v, p), v + " at " + p);
            }
        }
        SplittableRandom random = new SplittableRandom(42);
        for (int n = 0; n < 40_000; n++) {
            double v = switch (n % 4) {
                case 0 -> random.nextDouble() * 1000;
                case 1 -> random.nextLong(1, 1L << 53) / 1000.0;
                case 2 -> Double.longBitsToDouble(random.nextLong() & 0x7fefffffffffffffL);
                default -> Math.round(random.nextDouble() * 100_000) / 100.0 + 0.005;
            };
            int p = 1 + random.nextInt(5);
            assertEquals(reference(v, p), Units.formatG(v, p), v + " at " + p);
        }
    }
}
