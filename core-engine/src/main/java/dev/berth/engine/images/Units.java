package dev.berth.engine.images;

import java.math.BigDecimal;
import java.math.MathContext;

/** Sizes as docker prints them (go-units HumanSize: decimal units, three significant digits). */
public final class Units {
    private static final String[] DECIMAL = {"B", "kB", "MB", "GB", "TB", "PB", "EB"};

    private Units() {
    }

    public static String humanSize(double size) {
        int unit = 0;
        while (size >= 1000 && unit < DECIMAL.length - 1) {
            size /= 1000;
            unit++;
        }
        BigDecimal rounded = new BigDecimal(size).round(new MathContext(3)).stripTrailingZeros();
        return rounded.toPlainString() + DECIMAL[unit];
    }

    /** Docker's progress bar: {@code [=====>      ]  1.2MB/4.5MB}. */
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
