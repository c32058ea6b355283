package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

/**
 * At a glance: the engine (status, version), containers running, paused and stopped, images, volumes,
 * disk usage ({@code /system/df}) and the latest activity; all from {@link DashboardViewModel}.
 */
public final class DashboardView extends VBox {
    private final DashboardViewModel vm;

    public DashboardView(AppServices services) {
        super(16);
        vm = new DashboardViewModel(services);
        setPadding(new Insets(24));
        Label title = new Label("Dashboard");
        title.getStyleClass().add("title-2");
        Label running = card("dashboard-running", vm.runningProperty());
        Label paused = card("dashboard-paused", vm.pausedProperty());
        Label stopped = card("dashboard-stopped", vm.stoppedProperty());
        Label images = card("dashboard-images", vm.imagesProperty());
        Label volumes = card("dashboard-volumes", vm.volumesProperty());
        FlowPane cards = new FlowPane(16, 16, box("Running", running), box("Paused", paused), box("Stopped", stopped),
                box("Images", images), box("Volumes", volumes));
        Label engine = new Label();
        engine.setId("dashboard-engine");
        engine.textProperty().bind(vm.engineProperty());
        Label disk = new Label();
        disk.setId("dashboard-disk");
        disk.textProperty().bind(vm.diskProperty());
        ListView<String> recent = new ListView<>(vm.recent());
        recent.setId("dashboard-recent");
        recent.setPrefHeight(DashboardViewModel.RECENT * 26);
        recent.setPlaceholder(new Label("Nothing yet: container, image, volume and network events show up here."));
        Label recentTitle = new Label("Recent activity");
        recentTitle.getStyleClass().add("title-4");
        getChildren().addAll(title, cards, engine, disk, recentTitle, recent);
        if (services.engineStatus() != null) {
            getChildren().add(1, new EngineCard(services.engineStatus()));
        }
        // The main window swaps views in and out of its scene.
        sceneProperty().addListener((o, was, now) -> vm.setShown(now != null));
    }

    private static Label card(String id, javafx.beans.value.ObservableValue<String> value) {
        Label l = new Label();
        l.setId(id);
        l.textProperty().bind(value);
        l.getStyleClass().add("title-1");
        return l;
    }

    private static VBox box(String name, Label value) {
        Label n = new Label(name);
        n.getStyleClass().add("text-muted");
        VBox b = new VBox(4, value, n);
        b.setPadding(new Insets(16));
        b.setMinWidth(140);
        b.setStyle("-fx-background-color: -color-bg-subtle; -fx-background-radius: 8; -fx-border-color: -color-border-default; -fx-border-radius: 8;");
        return b;
    }
}
