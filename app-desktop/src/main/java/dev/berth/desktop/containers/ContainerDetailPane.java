package dev.berth.desktop.containers;

import dev.berth.desktop.core.AppServices;
import javafx.scene.control.Tab;
import javafx.scene.control.TabPane;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import javafx.stage.Window;
import javafx.scene.Scene;

import java.util.ArrayList;
import java.util.List;

/** A container's details: one tab per {@link ContainerDetailTab}, built when the pane opens. */
public final class ContainerDetailPane extends BorderPane implements AutoCloseable {
    private final List<ContainerDetailTab.Content> contents = new ArrayList<>();
    private final TabPane tabs = new TabPane();

    private final String containerId;

    public ContainerDetailPane(String containerId, AppServices services, List<ContainerDetailTab> factories) {
        this.containerId = containerId;
        getStyleClass().add("berth-container-detail");
        tabs.setTabClosingPolicy(TabPane.TabClosingPolicy.UNAVAILABLE);
        for (ContainerDetailTab f : factories) {
            ContainerDetailTab.Content c = f.create(containerId, services);
            contents.add(c);
            Tab t = new Tab(f.title(), c.node());
            t.setId("detail-tab-" + f.title().toLowerCase().replace(' ', '-'));
            tabs.getTabs().add(t);
        }
        setCenter(tabs);
    }

    public String containerId() {
        return containerId;
    }

    public TabPane tabs() {
        return tabs;
    }

    /** Opens the pane in its own window; closing the window ends the tabs' streams. */
    public static Stage openWindow(Window owner, String containerId, String name, AppServices services) {
        ContainerDetailPane pane = new ContainerDetailPane(containerId, services, ContainerDetailTabs.all());
        Stage stage = new Stage();
        if (owner != null) {
            stage.initOwner(owner);
        }
        stage.setTitle("Container " + name);
        Scene scene = new Scene(pane, 900, 600);
        stage.setScene(scene);
        stage.setOnHidden(e -> pane.close());
        stage.show();
        return stage;
    }

    /** Selects the tab titled {@code title}; false when there is none. */
    public boolean select(String title) {
        for (Tab t : tabs.getTabs()) {
            if (t.getText().equals(title)) {
                tabs.getSelectionModel().select(t);
                return true;
            }
        }
        return false;
    }

    /** Detail windows open now, by container ID: asking again for one brings it forward instead of opening another. */
    private static final java.util.Map<String, Stage> OPEN = new java.util.HashMap<>();

    /**
     * Shows the container's detail window on the tab titled {@code tab} (the tray's "open logs"):
     * the one already open for the container, or a new one. On the UI thread.
     */
    public static Stage showTab(Window owner, String containerId, String name, AppServices services, String tab) {
        Stage stage = OPEN.get(containerId);
        if (stage == null || !stage.isShowing()) {
            stage = openWindow(owner, containerId, name, services);
            Stage opened = stage;
            OPEN.put(containerId, opened);
            stage.addEventHandler(javafx.stage.WindowEvent.WINDOW_HIDDEN, e -> OPEN.remove(containerId, opened));
        }
        ((ContainerDetailPane) stage.getScene().getRoot()).select(tab);
        stage.setIconified(false);
        stage.toFront();
        return stage;
    }

    @Override
    public void close() {
        contents.forEach(ContainerDetailTab.Content::close);
    }
}
