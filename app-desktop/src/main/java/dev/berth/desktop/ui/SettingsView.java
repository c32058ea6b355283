package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.engine.ConnectionsModel;
import dev.berth.desktop.store.DesktopCatalog.SavedConnection;
import dev.berth.desktop.system.LoginAutostart;
import javafx.collections.ListChangeListener;
import javafx.collections.SetChangeListener;
import javafx.geometry.Insets;
import javafx.scene.control.Button;
import javafx.scene.control.CheckBox;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.ListCell;
import javafx.scene.control.ListView;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import org.controlsfx.control.CheckListView;

/**
 * Theme (system/light/dark), the engine connections (one active), how the app treats Berth's engine,
 * notifications, the tray's favourites and start at login. Bound to {@link SettingsViewModel}, which
 * reads and writes the catalog off the UI thread.
 */
public final class SettingsView extends VBox {
    /** The view in a vertical scroll pane, as the main window shows it: it is taller than a small window. */
    public static ScrollPane scrolling(AppServices services) {
        ScrollPane scroll = new ScrollPane(new SettingsView(services));
        scroll.setFitToWidth(true);
        scroll.setHbarPolicy(ScrollPane.ScrollBarPolicy.NEVER);
        return scroll;
    }

    public SettingsView(AppServices services) {
        super(12);
        setPadding(new Insets(24));
        SettingsViewModel vm = new SettingsViewModel(services, Theme::apply);
        Label title = new Label("Settings");
        title.getStyleClass().add("title-2");
        ComboBox<Theme> theme = new ComboBox<>();
        theme.setId("settings-theme");
        theme.getItems().setAll(Theme.values());
        theme.valueProperty().bindBidirectional(vm.themeProperty());
        getChildren().addAll(title, new Label("Theme"), theme);
        if (vm.connections() == null) {
            return;
        }
        ConnectionsModel model = vm.connections();
        ListView<SavedConnection> connections = new ListView<>(model.connections());
        connections.setId("settings-connections");
        connections.setPrefHeight(160);
        connections.setMinHeight(100);
        connections.setCellFactory(l -> new ListCell<>() {
            @Override
            protected void updateItem(SavedConnection c, boolean empty) {
                super.updateItem(c, empty);
                setText(empty || c == null ? null : (c.isDefault() ? "● " : "   ") + c.name() + "   " + c.host()
                        + (model.hasTls(c.name()) ? "   (TLS)" : "")
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
        autostart.selectedProperty().bindBidirectional(vm.engineAutostartProperty());
        TextField dataRoot = new TextField();
        dataRoot.setId("settings-engine-data-root");
        dataRoot.setPromptText(vm.defaultDataRoot());
        dataRoot.textProperty().bindBidirectional(vm.dataRootProperty());
        Label dataRootNote = new Label("The data root the app starts Berth's engine with (empty: the daemon's default); "
                + "an engine already running keeps its own until it is restarted.");
        dataRootNote.getStyleClass().add("text-muted");

        getChildren().addAll(new Label("Engine connections"), connections, new HBox(8, use, remove),
                new HBox(8, name, host, add), new HBox(8, ca, cert, key), error, note, new Label("Berth's engine"), autostart, dataRoot, dataRootNote);

        CheckBox notify = new CheckBox("Show notifications: a pull finished, a container failed, the engine stopped or came back");
        notify.setId("settings-notifications");
        notify.selectedProperty().bindBidirectional(vm.notificationsProperty());
        getChildren().addAll(new Label("Notifications"), notify);
        getChildren().addAll(new Label("Tray favourites"), favourites(vm));
        getChildren().addAll(new Label("Login"), loginToggle(LoginAutostart.forUser()));
    }

    /**
     * The containers to offer under the tray's "Start a favourite" (when stopped): a ControlsFX check
     * list of the engine's containers, ticks kept in step with the view model both ways.
     */
    private static VBox favourites(SettingsViewModel vm) {
        CheckListView<String> list = new CheckListView<>();
        list.setId("settings-tray-favourites");
        list.setPrefHeight(140);
        list.setMinHeight(100);
        boolean[] syncing = {false};
        // ControlsFX's check model keeps checks by index and does not follow a change of its items:
        // clear, replace, then tick again, ignoring the check model's own events meanwhile.
        Runnable rebuild = () -> {
            syncing[0] = true;
            try {
                list.getCheckModel().clearChecks();
                list.getItems().setAll(vm.favouriteChoices());
                vm.favourites().forEach(n -> {
                    if (list.getItems().contains(n)) {
                        list.getCheckModel().check(n);
                    }
                });
            } finally {
                syncing[0] = false;
            }
        };
        vm.favouriteChoices().addListener((ListChangeListener<String>) c -> rebuild.run());
        vm.favourites().addListener((SetChangeListener<String>) c -> {
            if (syncing[0]) {
                return;
            }
            syncing[0] = true;
            try {
                if (c.wasAdded() && list.getItems().contains(c.getElementAdded())) {
                    list.getCheckModel().check(c.getElementAdded());
                }
                if (c.wasRemoved() && list.getItems().contains(c.getElementRemoved())) {
                    list.getCheckModel().clearCheck(c.getElementRemoved());
                }
            } finally {
                syncing[0] = false;
            }
        });
        list.getCheckModel().getCheckedItems().addListener((ListChangeListener<String>) c -> {
            if (syncing[0]) {
                return;
            }
            syncing[0] = true;
            try {
                while (c.next()) {
                    c.getAddedSubList().forEach(n -> vm.setFavourite(n, true));
                    c.getRemoved().forEach(n -> vm.setFavourite(n, false));
                }
            } finally {
                syncing[0] = false;
            }
        });
        rebuild.run();
        Label note = new Label("Ticked containers are offered under the tray's \"Start a favourite\" while they are stopped.");
        note.getStyleClass().add("text-muted");
        return new VBox(4, list, note);
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
