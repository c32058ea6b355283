package dev.berth.desktop.detail.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * The last {@code capacity} log lines: the log view's memory stays bounded however long it follows a
 * container. Older lines fall off the front and are counted, so the view can say how many it dropped.
 */
public final class LogRingBuffer {
    private final LogLine[] ring;
    private int head;
    private int size;
    private long dropped;

    public LogRingBuffer(int capacity) {
        if (capacity <= 0) {
            throw new IllegalArgumentException("capacity must be positive");
        }
        this.ring = new LogLine[capacity];
    }

    public int capacity() {
        return ring.length;
    }

    public int size() {
        return size;
    }

    public long dropped() {
        return dropped;
    }

    /** Adds the lines; returns how many old lines fell off to make room. */
    public int addAll(List<LogLine> lines) {
        int evicted = 0;
        for (LogLine l : lines) {
            if (size == ring.length) {
                ring[head] = l;
                head = (head + 1) % ring.length;
                evicted++;
            } else {
                ring[(head + size) % ring.length] = l;
                size++;
            }
        }
        dropped += evicted;
        return evicted;
    }

    public LogLine get(int i) {
        if (i < 0 || i >= size) {
            throw new IndexOutOfBoundsException(i);
        }
        return ring[(head + i) % ring.length];
    }

    public List<LogLine> snapshot() {
        List<LogLine> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(get(i));
        }
        return out;
    }

    public void clear() {
        java.util.Arrays.fill(ring, null);
        head = 0;
        size = 0;
    }
}
