package dev.berth.desktop.detail.logs;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Hands lines from the reader thread to the UI thread once per pulse, not once per line: at 50,000
 * lines/s one list change per frame keeps the UI responsive where 50,000 would not. The backlog is
 * bounded too: when the UI falls behind, the oldest pending lines are dropped (the ring buffer would
 * drop them anyway) and counted.
 */
public final class LogBatcher {
    private final int maxPending;
    private final ArrayDeque<LogLine> pending = new ArrayDeque<>();
    private long dropped;

    public LogBatcher(int maxPending) {
        this.maxPending = maxPending;
    }

    public synchronized void add(LogLine line) {
        if (pending.size() == maxPending) {
            pending.pollFirst();
            dropped++;
        }
        pending.addLast(line);
    }

    /** Everything pending, oldest first; called on each pulse. */
    public synchronized List<LogLine> drain() {
        List<LogLine> out = new ArrayList<>(pending);
        pending.clear();
        return out;
    }

    public synchronized int pending() {
        return pending.size();
    }

    public synchronized long dropped() {
        return dropped;
    }
}
