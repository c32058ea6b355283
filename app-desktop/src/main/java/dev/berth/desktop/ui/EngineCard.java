package dev.berth.desktop.ui;

import dev.berth.desktop.engine.EngineStatus;
import dev.berth.desktop.engine.EngineStatusModel;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.feather.Feather;
import org.kordamp.ikonli.javafx.FontIcon;

/** The dashboard's engine panel: status, why, the last log lines, and start/stop. */
final class EngineCard extends VBox {
    EngineCard(EngineStatusModel model) {
        super(6);
        setId("dashboard-engine-card");
        setPadding(new Insets(16));
        setStyle("-fx-background-color: -color-bg-subtle; -fx-background-radius: 8; -fx-border-color: -color-border-default; -fx-border-radius: 8;");
        Label state = new Label();
        state.setId("dashboard-engine-status");
        state.getStyleClass().add("title-4");
        Label message = new Label();
        message.setWrapText(true);
        message.textProperty().bind(model.messageProperty());
        Label log = new Label();
        log.setId("dashboard-engine-log");
        log.setStyle("-fx-font-family: monospace; -fx-font-size: 11px;");
        log.getStyleClass().add("text-muted");
        log.textProperty().bind(model.logTailProperty());
        log.visibleProperty().bind(model.logTailProperty().isNotEmpty());
        log.managedProperty().bind(log.visibleProperty());
        Button start = new Button("Start engine", new FontIcon(Feather.PLAY));
        start.setId("dashboard-engine-start");
        start.disableProperty().bind(model.canStartProperty().not());
        start.setOnAction(e -> model.start());
        Button stop = new Button("Stop engine", new FontIcon(Feather.SQUARE));
        stop.setId("dashboard-engine-stop");
        stop.disableProperty().bind(model.canStopProperty().not());
        stop.setOnAction(e -> model.stop());
        Runnable update = () -> {
            EngineStatus s = model.status();
            state.setText("Engine " + s.label());
            state.getStyleClass().removeAll("success", "danger", "warning", "text-muted");
            state.getStyleClass().add(EngineStatusBar.style(s));
        };
        model.statusProperty().addListener((o, a, b) -> update.run());
        update.run();
        getChildren().addAll(state, message, log, new HBox(8, start, stop));
    }
}
