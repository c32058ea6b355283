package dev.berth.desktop.store;

import java.util.List;

/** Recent resource samples per container, kept across restarts of the app (the stats tab's history). */
public interface StatsHistoryStore {
    /** One sample: CPU percent, memory bytes, network and block bytes in/out (cumulative), at a time. */
    record StatsSample(String containerId, long timeMillis, double cpuPercent, long memoryBytes, long memoryLimit,
                       long netRx, long netTx, long blockRead, long blockWrite) {
    }

    void addSample(StatsSample sample);

    /** The newest {@code limit} samples of a container, oldest first. */
    List<StatsSample> samples(String containerId, int limit);

    /** Drops samples older than {@code cutoffMillis}; returns how many went. */
    int pruneBefore(long cutoffMillis);
}
