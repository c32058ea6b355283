package dev.berth.desktop.detail.logs;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ReadOnlyLongProperty;
import javafx.beans.property.ReadOnlyLongWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;

/**
 * State of the Logs tab. The reader thread feeds {@link #batcher()}; {@link #pulse()} (called once per
 * frame by the view, or directly by tests) moves what arrived into {@link #lines()}, a ring of {@code capacity}
 * lines, as one change, so the virtualised ListView sees one update per frame and memory
 * stays bounded. Never touches controls.
 */
public final class LogsViewModel {
    private final int capacity;
    private final LogBatcher batcher;
    private final RingObservableList lines;
    private final BooleanProperty follow = new SimpleBooleanProperty(true);
    private final BooleanProperty timestamps = new SimpleBooleanProperty(false);
    private final BooleanProperty wrap = new SimpleBooleanProperty(false);
    private final StringProperty search = new SimpleStringProperty("");
    private final StringProperty status = new SimpleStringProperty("");
    private final ReadOnlyLongWrapper dropped = new ReadOnlyLongWrapper();
    private final ReadOnlyLongWrapper received = new ReadOnlyLongWrapper();

    public LogsViewModel(int capacity) {
        this.capacity = capacity;
        this.batcher = new LogBatcher(capacity);
        this.lines = new RingObservableList(capacity);
    }

    public LogBatcher batcher() {
        return batcher;
    }

    /** Moves pending lines into the list; returns how many arrived. */
    public int pulse() {
        List<LogLine> batch = batcher.drain();
        if (batch.isEmpty()) {
            return 0;
        }
        received.set(received.get() + batch.size());
        int evicted = lines.append(batch);
        if (evicted > 0) {
            dropped.set(dropped.get() + evicted);
        }
        return batch.size();
    }

    public ObservableList<LogLine> lines() {
        return lines;
    }

    public int capacity() {
        return capacity;
    }

    /** "Clear view": forgets what is shown; following continues with new lines. */
    public void clear() {
        batcher.drain();
        lines.clear();
    }

    public List<Integer> matches() {
        return LogSearch.matchingLines(lines.stream().map(l -> l.display(timestamps.get())).toList(), search.get(),
                false);
    }

    public String text(List<LogLine> selection) {
        return selection.stream().map(l -> l.display(timestamps.get())).collect(Collectors.joining("\n"));
    }

    public void save(Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (LogLine l : List.copyOf(lines)) {
                w.write(l.display(timestamps.get()));
                w.write('\n');
            }
        }
        status.set("Saved " + lines.size() + " lines to " + file);
    }

    public BooleanProperty followProperty() {
        return follow;
    }

    public BooleanProperty timestampsProperty() {
        return timestamps;
    }

    public BooleanProperty wrapProperty() {
        return wrap;
    }

    public StringProperty searchProperty() {
        return search;
    }

    public StringProperty statusProperty() {
        return status;
    }

    public ReadOnlyLongProperty droppedProperty() {
        return dropped.getReadOnlyProperty();
    }

    public ReadOnlyLongProperty receivedProperty() {
        return received.getReadOnlyProperty();
    }
}
