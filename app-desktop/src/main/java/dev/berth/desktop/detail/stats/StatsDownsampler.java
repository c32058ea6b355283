package dev.berth.desktop.detail.stats;

import java.util.ArrayList;
import java.util.List;

/**
 * Thins a container's stats history: samples newer than {@code keepFullMillis} stay at full
 * resolution (one a second), older ones are averaged into one sample per {@code bucketMillis}, so a
 * week of history costs thousands of rows, not hundreds of thousands. Counters (network, block I/O)
 * keep the bucket's last value; rates and gauges are averaged.
 */
public final class StatsDownsampler {
    private StatsDownsampler() {
    }

    /** {@code samples} sorted by time; returns a new sorted list. */
    public static List<StatsSample> downsample(List<StatsSample> samples, long nowMillis, long keepFullMillis,
                                               long bucketMillis) {
        List<StatsSample> out = new ArrayList<>();
        long cutoff = nowMillis - keepFullMillis;
        List<StatsSample> bucket = new ArrayList<>();
        long bucketStart = Long.MIN_VALUE;
        for (StatsSample s : samples) {
            if (s.epochMillis() >= cutoff) {
                flush(bucket, out);
                out.add(s);
                continue;
            }
            long b = Math.floorDiv(s.epochMillis(), bucketMillis) * bucketMillis;
            if (b != bucketStart) {
                flush(bucket, out);
                bucketStart = b;
            }
            bucket.add(s);
        }
        flush(bucket, out);
        return out;
    }

    private static void flush(List<StatsSample> bucket, List<StatsSample> out) {
        if (bucket.isEmpty()) {
            return;
        }
        if (bucket.size() == 1) {
            out.add(bucket.getFirst());
            bucket.clear();
            return;
        }
        double cpu = 0;
        double mem = 0;
        for (StatsSample s : bucket) {
            cpu += s.cpuPercent();
            mem += s.memoryUsage();
        }
        StatsSample last = bucket.getLast();
        out.add(new StatsSample(last.epochMillis(), cpu / bucket.size(), Math.round(mem / bucket.size()),
                last.memoryLimit(), last.netRx(), last.netTx(), last.blockRead(), last.blockWrite()));
        bucket.clear();
    }
}
