package dev.berth.desktop.detail.logs;

import javafx.collections.ObservableListBase;

import java.util.ArrayList;
import java.util.List;

/**
 * A read-only ObservableList over a {@link LogRingBuffer}: appending a batch is one change made of the
 * evicted head (at most the batch) and the added tail, so a full 100,000-line view costs O(batch) per
 * pulse. An ObservableArrayList trimmed at its head shifts every element and makes the ListView's
 * selection and cell bookkeeping shift them again, which is what made following a fast container stall.
 */
public final class RingObservableList extends ObservableListBase<LogLine> {
    private final LogRingBuffer ring;

    public RingObservableList(int capacity) {
        this.ring = new LogRingBuffer(capacity);
    }

    @Override
    public LogLine get(int index) {
        return ring.get(index);
    }

    @Override
    public int size() {
        return ring.size();
    }

    public int capacity() {
        return ring.capacity();
    }

    /** Appends the batch as one change; returns how many old lines fell off the front. */
    public int append(List<LogLine> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        int cap = ring.capacity();
        List<LogLine> add = batch.size() > cap ? batch.subList(batch.size() - cap, batch.size()) : batch;
        int evict = Math.max(0, ring.size() + add.size() - cap);
        List<LogLine> removed = new ArrayList<>(evict);
        for (int i = 0; i < evict; i++) {
            removed.add(ring.get(i));
        }
        ring.addAll(add);
        beginChange();
        if (evict > 0) {
            nextRemove(0, removed);
        }
        nextAdd(ring.size() - add.size(), ring.size());
        endChange();
        return evict + (batch.size() - add.size());
    }

    @Override
    public void clear() {
        if (ring.size() == 0) {
            return;
        }
        List<LogLine> removed = ring.snapshot();
        ring.clear();
        beginChange();
        nextRemove(0, removed);
        endChange();
    }
}
