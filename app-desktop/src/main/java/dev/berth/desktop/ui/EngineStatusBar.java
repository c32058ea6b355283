package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.engine.EngineStatus;
import dev.berth.desktop.engine.EngineStatusModel;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.Tooltip;
import org.controlsfx.control.StatusBar;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/**
 * The window's status bar (ControlsFX): the engine's status and what to do about it, its last log
 * lines as the tooltip, and start/stop when the app may start or stop it.
 */
public final class EngineStatusBar extends StatusBar {
    private final AppServices services;
    private final Label status = new Label();

    public EngineStatusBar(AppServices services) {
        this.services = services;
        setText("");
        getStyleClass().add("berth-status-bar");
        status.setId("engine-status");
        getLeftItems().add(status);
        EngineStatusModel model = services.engineStatus();
        if (model != null) {
            Button start = new Button("Start engine", new FontIcon(Feather.PLAY));
            start.setId("status-engine-start");
            start.getStyleClass().add("flat");
            start.visibleProperty().bind(model.canStartProperty());
            start.managedProperty().bind(start.visibleProperty());
            start.setOnAction(e -> model.start());
            Button stop = new Button("Stop engine", new FontIcon(Feather.SQUARE));
            stop.setId("status-engine-stop");
            stop.getStyleClass().add("flat");
            stop.visibleProperty().bind(model.canStopProperty());
            stop.managedProperty().bind(stop.visibleProperty());
            stop.setOnAction(e -> model.stop());
            getRightItems().addAll(start, stop);
            Tooltip log = new Tooltip();
            log.textProperty().bind(javafx.beans.binding.Bindings.concat(model.messageProperty(),
                    javafx.beans.binding.Bindings.when(model.logTailProperty().isEmpty()).then("").otherwise("\n\nEngine log:\n"),
                    model.logTailProperty()));
            status.setTooltip(log);
            model.statusProperty().addListener((o, a, b) -> update());
            model.messageProperty().addListener((o, a, b) -> update());
        }
        EngineConnection engine = services.engine();
        engine.stateProperty().addListener((o, a, b) -> update());
        engine.lastErrorProperty().addListener((o, a, b) -> update());
        update();
    }

    private void update() {
        EngineStatusModel model = services.engineStatus();
        EngineConnection e = services.engine();
        String style;
        if (model != null) {
            status.setText("Engine: " + model.status().label() + " — " + model.messageProperty().get());
            style = style(model.status());
        } else {
            status.setText(switch (e.state()) {
                case CONNECTING -> "Engine: connecting to " + e.endpoint().uri() + "…";
                case CONNECTED -> "Engine: running (" + e.endpoint().uri() + ")";
                case DISCONNECTED -> "Engine: not reachable at " + e.endpoint().uri() + " — " + e.lastErrorProperty().get()
                        + " (retrying)";
            });
            style = switch (e.state()) {
                case CONNECTING -> "warning";
                case CONNECTED -> "success";
                case DISCONNECTED -> "danger";
            };
        }
        status.getStyleClass().removeAll("success", "danger", "warning", "text-muted");
        status.getStyleClass().add(style);
    }

    static String style(EngineStatus s) {
        return switch (s) {
            case STARTING -> "warning";
            case RUNNING -> "success";
            case STOPPED -> "text-muted";
            case ERROR -> "danger";
        };
    }
}
