package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.engine.AppEngine;
import dev.berth.desktop.engine.ConnectionsModel;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.store.DesktopCatalog.SavedConnection;
import dev.berth.desktop.system.LoginAutostart;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

/** Theme (system/light/dark), the engine connections (one active), and how the app treats Berth's engine. */
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
                services.ui().inOrder(() -> catalog.putSetting("theme", t.name().toLowerCase()));
            }
        });
        getChildren().addAll(title, new Label("Theme"), theme);
        if (catalog == null) {
            return;
        }
        ConnectionsModel model = ConnectionsModel.withTls(catalog, AppEngine.defaultEndpoint(), AppEngine.switcher(services));
        ListView<SavedConnection> connections = new ListView<>(model.connections());
        connections.setId("settings-connections");
        connections.setPrefHeight(160);
        connections.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(SavedConnection c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? null : (c.isDefault() ? "● " : "   ") + c.name() + "   " + c.host()
                        + (ConnectionsModel.tls(catalog, c.name()).isPresent() ? "   (TLS)" : "")
                        + (c.isDefault() ? "   (active)" : ""));
            }
        });
        TextField name = new TextField();
        name.setId("settings-connection-name");
        name.setPromptText("name");
        TextField host = new TextField();
        host.setId("settings-connection-host");
        host.setPromptText("unix:///var/run/docker.sock or tcp://host:2375");
        HBox.setHgrow(host, Priority.ALWAYS);
        TextField ca = new TextField();
        ca.setId("settings-connection-tlscacert");
        ca.setPromptText("TLS: CA certificate (ca.pem), checks the engine");
        TextField cert = new TextField();
        cert.setId("settings-connection-tlscert");
        cert.setPromptText("TLS: client certificate (cert.pem)");
        TextField key = new TextField();
        key.setId("settings-connection-tlskey");
        key.setPromptText("TLS: client key (key.pem)");
        for (TextField f : new TextField[] {ca, cert, key}) {
            HBox.setHgrow(f, Priority.ALWAYS);
        }
        Button add = new Button("Add");
        add.setId("settings-connection-add");
        add.setOnAction(e -> {
            if (model.add(name.getText(), host.getText(), ca.getText(), cert.getText(), key.getText())) {
                name.clear();
                host.clear();
                ca.clear();
                cert.clear();
                key.clear();
            }
        });
        Button use = new Button("Connect");
        use.setId("settings-connection-use");
        Button remove = new Button("Remove");
        remove.setId("settings-connection-remove");
        use.disableProperty().bind(connections.getSelectionModel().selectedItemProperty().isNull());
        remove.disableProperty().bind(connections.getSelectionModel().selectedItemProperty().isNull());
        use.setOnAction(e -> model.activate(connections.getSelectionModel().getSelectedItem().name()));
        remove.setOnAction(e -> model.remove(connections.getSelectionModel().getSelectedItem().name()));
        Label error = new Label();
        error.setId("settings-connection-error");
        error.getStyleClass().add("danger");
        error.textProperty().bind(model.errorProperty());
        Label note = new Label("Berth's engine, Docker's /var/run/docker.sock or Podman's service socket, or tcp://host:port: "
                + "plain HTTP, or TLS with the CA, certificate and key files as docker's --tlscacert, --tlscert and --tlskey "
                + "(with a CA the engine is checked, as --tlsverify). Connecting reconnects every view.");
        note.getStyleClass().add("text-muted");
        note.setWrapText(true);

        CheckBox autostart = new CheckBox("Start Berth's engine when the app starts and it is not running");
        autostart.setId("settings-engine-autostart");
        autostart.setSelected(!"false".equals(catalog.setting("engine.autostart").orElse("true")));
        autostart.selectedProperty().addListener((o, a, b) -> services.ui().inOrder(
                () -> catalog.putSetting("engine.autostart", Boolean.toString(b))));
        TextField dataRoot = new TextField(catalog.setting("engine.dataRoot").orElse(""));
        dataRoot.setId("settings-engine-data-root");
        dataRoot.setPromptText(AppEngine.target(AppEngine.defaultEndpoint(), null).dataRoot().toString());
        dataRoot.textProperty().addListener((o, a, b) -> services.ui().inOrder(() -> catalog.putSetting("engine.dataRoot", b.strip())));
        Label dataRootNote = new Label("The data root the app starts Berth's engine with (empty: the daemon's default).");
        dataRootNote.getStyleClass().add("text-muted");

        getChildren().addAll(new Label("Engine connections"), connections, new HBox(8, use, remove),
                new HBox(8, name, host, add), new HBox(8, ca, cert, key), error, note, new Label("Berth's engine"), autostart, dataRoot, dataRootNote);
        getChildren().addAll(new Label("Login"), loginToggle(LoginAutostart.forUser()));
    }

    /** "Start at login": the XDG autostart entry, written or removed at once; a failure says why and undoes the tick. */
    static VBox loginToggle(LoginAutostart entry) {
        CheckBox box = new CheckBox("Start Berth Desktop when I log in");
        box.setId("settings-login-autostart");
        box.setSelected(entry.isEnabled());
        Label problem = new Label();
        problem.setId("settings-login-error");
        problem.getStyleClass().add("danger");
        problem.setWrapText(true);
        boolean[] reverting = {false};
        box.selectedProperty().addListener((o, was, on) -> {
            if (reverting[0]) {
                return;
            }
            try {
                if (on) {
                    entry.enable(LoginAutostart.launcher(), LoginAutostart.icon());
                } else {
                    entry.disable();
                }
                problem.setText("");
            } catch (java.io.IOException | RuntimeException e) {
                problem.setText("Could not " + (on ? "write " : "remove ") + entry.file() + ": " + e.getMessage());
                reverting[0] = true;
                box.setSelected(was);
                reverting[0] = false;
            }
        });
        Label where = new Label("The session starts the app from " + entry.file() + ".");
        where.getStyleClass().add("text-muted");
        return new VBox(4, box, problem, where);
    }
}
