package dev.berth.desktop.detail.stats;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.function.Consumer;

/**
 * State of the Stats tab: the samples to plot, bounded to the last {@code window}. History from the
 * store goes first (given here or, read in the background, to {@link #addHistory}), so the charts
 * survive restarts; each live sample is appended and handed to {@code persist}.
 */
public final class StatsViewModel {
    private final int window;
    private final ObservableList<StatsSample> samples = FXCollections.observableArrayList();
    private final Consumer<StatsSample> persist;

    public StatsViewModel(int window, List<StatsSample> history, Consumer<StatsSample> persist) {
        this.window = window;
        this.persist = persist;
        samples.setAll(history.size() > window ? history.subList(history.size() - window, history.size()) : history);
    }

    /**
     * The stored history, read after the tab opened: it goes before the live samples already shown
     * (those it overlaps are skipped). On the UI thread.
     */
    public void addHistory(List<StatsSample> history) {
        long firstLive = samples.isEmpty() ? Long.MAX_VALUE : samples.get(0).epochMillis();
        List<StatsSample> older = history.stream().filter(h -> h.epochMillis() < firstLive).toList();
        int room = window - samples.size();
        if (room > 0 && !older.isEmpty()) {
            samples.addAll(0, older.subList(Math.max(0, older.size() - room), older.size()));
        }
    }

    /** On the UI thread. */
    public void add(StatsSample s) {
        samples.add(s);
        if (samples.size() > window) {
            samples.remove(0, samples.size() - window);
        }
        persist.accept(s);
    }

    public ObservableList<StatsSample> samples() {
        return samples;
    }

    /** Bytes per second between two cumulative counters; 0 across a counter reset. */
    public static double rate(long before, long after, long millis) {
        return millis <= 0 || after < before ? 0 : (after - before) * 1000.0 / millis;
    }
}
