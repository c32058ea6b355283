package dev.berth.engine.runtime;

import java.io.PrintStream;
import java.util.concurrent.TimeUnit;

/**
 * Per-phase timings of the container paths (API requests, start, exit, removal), for finding where a
 * {@code docker run} spends its time (bench/run/RESULTS.md). Off unless the daemon runs with
 * {@code -Dberth.timing=true}; then each phase prints one line to stderr:
 * {@code timing <ms since the epoch> <phase> <duration ms> <detail>}. Off, a phase costs a field read.
 */
public final class PhaseTimer {
    public static final boolean ENABLED = Boolean.getBoolean("berth.timing");
    private static final PrintStream OUT = System.err;

    private PhaseTimer() {
    }

    /** A start mark for {@link #end}: 0 when timing is off. */
    public static long start() {
        return ENABLED ? System.nanoTime() : 0;
    }

    /** Logs {@code phase} as having run from {@code start} until now; returns now, to chain phases. */
    public static long end(long start, String phase, String detail) {
        if (!ENABLED) {
            return 0;
        }
        long now = System.nanoTime();
        OUT.printf("timing %d %s %.2f %s%n", System.currentTimeMillis(), phase,
                (now - start) / (double) TimeUnit.MILLISECONDS.toNanos(1), detail == null ? "" : detail);
        return now;
    }

    /** A point in time (an event with no duration), e.g. when an exit file was written. */
    public static void at(String phase, long epochMillis, String detail) {
        if (ENABLED) {
            OUT.printf("timing %d %s - %s%n", epochMillis, phase, detail == null ? "" : detail);
        }
    }
}
