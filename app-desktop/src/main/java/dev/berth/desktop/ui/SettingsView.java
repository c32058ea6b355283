package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.store.DesktopCatalog;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;

/** Theme (system/light/dark) and the saved engine connections. */
public final class SettingsView extends VBox {
    public SettingsView(AppServices services) {
        super(12);
        setPadding(new Insets(24));
        Label title = new Label("Settings");
        title.getStyleClass().add("title-2");
        ComboBox<Theme> theme = new ComboBox<>();
        theme.setId("settings-theme");
        theme.getItems().setAll(Theme.values());
        DesktopCatalog catalog = services.catalog();
        theme.setValue(catalog == null ? Theme.SYSTEM : Theme.parse(catalog.setting("theme").orElse("system")));
        theme.valueProperty().addListener((o, a, t) -> {
            t.apply();
            if (catalog != null) {
                catalog.putSetting("theme", t.name().toLowerCase());
            }
        });
        ListView<String> connections = new ListView<>();
        connections.setId("settings-connections");
        connections.setPrefHeight(160);
        Runnable reload = () -> {
            connections.getItems().setAll("current: " + services.engine().endpoint().uri());
            if (catalog != null) {
                catalog.connections().forEach(c -> connections.getItems().add(c.name() + "  " + c.host() + (c.isDefault() ? "  (default)" : "")));
            }
        };
        reload.run();
        TextField name = new TextField();
        name.setPromptText("name");
        TextField host = new TextField();
        host.setPromptText("unix:///run/berth/berth.sock or tcp://host:2375");
        Button add = new Button("Save connection");
        add.setOnAction(e -> {
            if (catalog != null && !name.getText().isBlank() && !host.getText().isBlank()) {
                catalog.saveConnection(new DesktopCatalog.SavedConnection(name.getText().strip(), host.getText().strip(), false));
                reload.run();
            }
        });
        Label note = new Label("A saved connection is used with berth-desktop --host; the app connects to one engine at a time.");
        note.getStyleClass().add("text-muted");
        getChildren().addAll(title, new Label("Theme"), theme, new Label("Engine connections"), connections,
                new HBox(8, name, host, add), note);
    }
}
