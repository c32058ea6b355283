package dev.berth.desktop.detail.stats;

/**
 * One point of a container's stats history, as the charts plot it and the catalog stores it.
 * Network and block I/O are cumulative byte counters, as the engine reports them.
 */
public record StatsSample(long epochMillis, double cpuPercent, long memoryUsage, long memoryLimit,
                          long netRx, long netTx, long blockRead, long blockWrite) {
    public double memoryPercent() {
        return memoryLimit > 0 ? 100.0 * memoryUsage / memoryLimit : 0;
    }
}
