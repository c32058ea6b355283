package dev.berth.desktop.detail.processes;

import dev.berth.engine.client.model.ContainerTop;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;

/** State of the Processes tab: {@code top}'s titles and rows, replaced on each refresh. */
public final class ProcessesViewModel {
    private final ObservableList<String> titles = FXCollections.observableArrayList();
    private final ObservableList<List<String>> rows = FXCollections.observableArrayList();

    public void update(ContainerTop top) {
        if (!titles.equals(top.titles())) {
            titles.setAll(top.titles());
        }
        rows.setAll(top.processes());
    }

    public ObservableList<String> titles() {
        return titles;
    }

    public ObservableList<List<String>> rows() {
        return rows;
    }
}
