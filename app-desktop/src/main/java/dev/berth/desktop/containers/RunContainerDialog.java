package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.desktop.core.AppServices;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ComboBox;
import javafx.scene.control.TextArea;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;

/**
 * "Run a container": image, name, command, published ports, environment, volumes, network and restart
 * policy ({@link RunRequest} checks them and builds the request); creates and starts the container.
 */
public final class RunContainerDialog extends Dialog<String> {
    /** Pre-filled with an image, as the build wizard's Run button opens it. */
    public RunContainerDialog(AppServices services, String imageRef) {
        this(services);
        ((TextField) getDialogPane().lookup("#run-image")).setText(imageRef == null ? "" : imageRef);
    }

    RunContainerDialog(AppServices services) {
        setTitle("Run a container");
        TextField image = field("run-image", "busybox:latest");
        TextField name = field("run-name", "optional: a name instead of a random one");
        TextField cmd = field("run-command", "sleep 3600 (empty: the image's command)");
        TextField port = field("run-port", "8080:80, 127.0.0.1:5353:53/udp");
        TextArea env = area("run-env", "NAME=value, one a line");
        TextArea volumes = area("run-volumes", "data:/var/lib/data or /host/path:/path:ro, one a line");
        ComboBox<String> network = new ComboBox<>();
        network.setId("run-network");
        network.setEditable(true);
        network.setPromptText("bridge (default)");
        network.setMaxWidth(Double.MAX_VALUE);
        ComboBox<String> restart = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(RunRequest.RESTART_POLICIES));
        restart.setId("run-restart");
        restart.setValue("no");
        restart.setMaxWidth(Double.MAX_VALUE);
        services.ui().background(() -> services.engine().client().networks().list(null),
                list -> list.forEach(n -> network.getItems().add(n.path("Name").asText())), e -> { });
        Label error = new Label();
        error.setId("run-error");
        error.getStyleClass().add("danger");
        error.setWrapText(true);
        GridPane g = new GridPane(8, 8);
        g.addRow(0, label("Image"), image);
        g.addRow(1, label("Name"), name);
        g.addRow(2, label("Command"), cmd);
        g.addRow(3, label("Ports (host:container)"), port);
        g.addRow(4, label("Environment"), env);
        g.addRow(5, label("Volumes"), volumes);
        g.addRow(6, label("Network"), network);
        g.addRow(7, label("Restart policy"), restart);
        g.add(error, 0, 8, 2, 1);
        g.setPrefWidth(560);
        getDialogPane().setContent(g);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(image.textProperty().isEmpty());
        setResultConverter(b -> b == ButtonType.OK ? image.getText() : null);
        getDialogPane().lookupButton(ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, ev -> {
            ev.consume();
            String net = network.getEditor().getText() == null || network.getEditor().getText().isBlank()
                    ? (network.getValue() == null ? "" : network.getValue()) : network.getEditor().getText();
            RunRequest req = new RunRequest(image.getText(), name.getText(), cmd.getText(), port.getText(), env.getText(),
                    volumes.getText(), net, restart.getValue() == null ? "" : restart.getValue());
            String problem = req.problem();
            if (problem != null) {
                error.setText(problem);
                return;
            }
            error.setText("");
            ObjectNode body = req.body();
            services.ui().background(() -> {
                String id = services.engine().client().containers().create(name.getText().strip(), null, body).id();
                services.engine().client().containers().start(id);
                return id;
            }, id -> {
                setResult(id);
                close();
            }, e -> error.setText(e.getMessage()));
        });
    }

    /** A field's name, never shortened: the grid gave the fields the width and cut the names to "Com…", "Envir…". */
    private static Label label(String text) {
        Label l = new Label(text);
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    private static TextField field(String id, String prompt) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        return f;
    }

    private static TextArea area(String id, String prompt) {
        TextArea a = new TextArea();
        a.setId(id);
        a.setPromptText(prompt);
        a.setPrefRowCount(2);
        return a;
    }
}
