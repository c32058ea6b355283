package dev.berth.desktop.detail.stats;

import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.function.Consumer;

/**
 * State of the Stats tab: the samples to plot, bounded to the last {@code window}. History from the
 * store is loaded first, so the charts survive restarts; each live sample is appended and handed to
 * {@code persist}.
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
