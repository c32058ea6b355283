package dev.berth.desktop.detail.diff;

import dev.berth.desktop.core.UiExecutor;
import dev.berth.engine.client.model.FilesystemChange;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;

/**
 * The "Files changed" tab's state: {@code docker diff} of a container, sorted by path, with a summary
 * of how many paths were added, changed and deleted. Never touches controls.
 */
public final class DiffViewModel {
    private final UiExecutor ui;
    private final Callable<List<FilesystemChange>> source;
    private final ObservableList<FilesystemChange> changes = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper summary = new ReadOnlyStringWrapper("");

    public DiffViewModel(UiExecutor ui, Callable<List<FilesystemChange>> source) {
        this.ui = ui;
        this.source = source;
    }

    public void refresh() {
        ui.background(source, this::show, t -> summary.set("Could not read the changes: " + t.getMessage()));
    }

    void show(List<FilesystemChange> list) {
        changes.setAll(list.stream().sorted(Comparator.comparing(FilesystemChange::path)).toList());
        if (list.isEmpty()) {
            summary.set("No files changed since the container was created");
            return;
        }
        long added = list.stream().filter(c -> c.kind() == 1).count();
        long changed = list.stream().filter(c -> c.kind() == 0).count();
        long deleted = list.stream().filter(c -> c.kind() == 2).count();
        summary.set(added + " added, " + changed + " changed, " + deleted + " deleted");
    }

    public ObservableList<FilesystemChange> changes() {
        return changes;
    }

    public ReadOnlyStringProperty summaryProperty() {
        return summary.getReadOnlyProperty();
    }
}
