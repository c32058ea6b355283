package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import javafx.geometry.Insets;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.BorderPane;

/** Engine events as they happen, newest first, plus what was recorded before; filterable ({@link ActivityViewModel}). */
public final class ActivityView extends BorderPane {
    /** Held here too: the filter's binding to it is weak. */
    private final ActivityViewModel vm;

    public ActivityView(AppServices services) {
        vm = new ActivityViewModel(services);
        ListView<String> list = new ListView<>(vm.shown());
        list.setId("activity-list");
        list.setPlaceholder(EmptyState.of("No activity yet", "Engine events (containers, images, volumes, networks) show up here."));
        TextField filter = new TextField();
        filter.setId("activity-filter");
        filter.getStyleClass().add(MainWindow.SEARCH);
        filter.setPromptText("Filter by type, action or name, e.g. \"container die\" (Ctrl+F)");
        filter.textProperty().bindBidirectional(vm.filterProperty());
        BorderPane.setMargin(filter, new Insets(8));
        setTop(filter);
        setCenter(list);
    }
}
