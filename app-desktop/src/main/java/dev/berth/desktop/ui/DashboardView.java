package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.engine.client.model.SystemInfo;
import javafx.geometry.Insets;
import javafx.scene.control.Label;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.VBox;

/** Counts at a glance: containers running/stopped, images, engine version; refreshed on events. */
public final class DashboardView extends VBox {
    private final Label running = card("0");
    private final Label stopped = card("0");
    private final Label images = card("0");
    private final Label engine = new Label();
    private final AppServices services;

    public DashboardView(AppServices services) {
        super(16);
        this.services = services;
        setPadding(new Insets(24));
        Label title = new Label("Dashboard");
        title.getStyleClass().add("title-2");
        FlowPane cards = new FlowPane(16, 16, box("Running", running), box("Stopped", stopped), box("Images", images));
        engine.setId("dashboard-engine");
        getChildren().addAll(title, cards, engine);
        if (services.engineStatus() != null) {
            getChildren().add(1, new EngineCard(services.engineStatus()));
        }
        running.setId("dashboard-running");
        services.engine().onConnected(this::reload);
        services.engine().onEvent(e -> {
            if ("container".equals(e.type()) || "image".equals(e.type())) {
                reload();
            }
        });
        if (services.engine().state() == EngineConnection.State.CONNECTED) {
            reload();
        }
    }

    private void reload() {
        services.engine().call(c -> c.info(), (SystemInfo i) -> {
            running.setText(Integer.toString(i.containersRunning()));
            stopped.setText(Integer.toString(i.containersStopped()));
            images.setText(Integer.toString(i.images()));
            engine.setText("Engine " + services.engine().endpoint().uri() + ", storage " + i.driver() + " at " + i.dockerRootDir());
        }, e -> engine.setText("Engine not reachable: " + e.getMessage()));
    }

    private static Label card(String v) {
        Label l = new Label(v);
        l.getStyleClass().add("title-1");
        return l;
    }

    private static VBox box(String name, Label value) {
        Label n = new Label(name);
        n.getStyleClass().add("text-muted");
        VBox b = new VBox(4, value, n);
        b.setPadding(new Insets(16));
        b.setMinWidth(160);
        b.setStyle("-fx-background-color: -color-bg-subtle; -fx-background-radius: 8; -fx-border-color: -color-border-default; -fx-border-radius: 8;");
        return b;
    }
}
