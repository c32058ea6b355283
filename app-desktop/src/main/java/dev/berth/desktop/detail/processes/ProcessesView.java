package dev.berth.desktop.detail.processes;

import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.ListChangeListener;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.util.List;

/** The Processes tab: a table whose columns follow {@code top}'s titles. */
public final class ProcessesView extends TableView<List<String>> {
    public ProcessesView(ProcessesViewModel vm) {
        setId("processes");
        setItems(vm.rows());
        vm.titles().addListener((ListChangeListener<String>) c -> columns(vm.titles()));
        columns(vm.titles());
        setColumnResizePolicy(CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
    }

    private void columns(List<String> titles) {
        getColumns().clear();
        for (int i = 0; i < titles.size(); i++) {
            int col = i;
            TableColumn<List<String>, String> c = new TableColumn<>(titles.get(i));
            c.setCellValueFactory(r -> new ReadOnlyStringWrapper(col < r.getValue().size() ? r.getValue().get(col) : ""));
            getColumns().add(c);
        }
    }
}
