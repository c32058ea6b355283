package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.desktop.core.AppServices;
import dev.berth.images.Json;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;

/** "Run a container": image, optional name, command and one published port; creates and starts it. */
public final class RunContainerDialog extends Dialog<String> {
    /** Pre-filled with an image, as the build wizard's Run button opens it. */
    public RunContainerDialog(AppServices services, String imageRef) {
        this(services);
        ((TextField) getDialogPane().lookup("#run-image")).setText(imageRef == null ? "" : imageRef);
    }

    RunContainerDialog(AppServices services) {
        setTitle("Run a container");
        TextField image = new TextField();
        image.setId("run-image");
        image.setPromptText("busybox:latest");
        TextField name = new TextField();
        name.setId("run-name");
        TextField cmd = new TextField();
        cmd.setId("run-command");
        cmd.setPromptText("sleep 3600");
        TextField port = new TextField();
        port.setId("run-port");
        port.setPromptText("8080:80");
        Label error = new Label();
        error.getStyleClass().add("danger");
        GridPane g = new GridPane(8, 8);
        g.addRow(0, new Label("Image"), image);
        g.addRow(1, new Label("Name"), name);
        g.addRow(2, new Label("Command"), cmd);
        g.addRow(3, new Label("Port (host:container)"), port);
        g.add(error, 0, 4, 2, 1);
        getDialogPane().setContent(g);
        getDialogPane().getButtonTypes().addAll(ButtonType.OK, ButtonType.CANCEL);
        getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(image.textProperty().isEmpty());
        setResultConverter(b -> b == ButtonType.OK ? image.getText() : null);
        getDialogPane().lookupButton(ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, ev -> {
            ev.consume();
            ObjectNode body = Json.MAPPER.createObjectNode();
            body.put("Image", image.getText().strip());
            if (!cmd.getText().isBlank()) {
                ArrayNode a = body.putArray("Cmd");
                for (String part : cmd.getText().strip().split("\\s+")) {
                    a.add(part);
                }
            }
            String p = port.getText().strip();
            if (!p.isEmpty()) {
                String[] hc = p.split(":");
                String container = (hc.length == 2 ? hc[1] : hc[0]) + (p.contains("/") ? "" : "/tcp");
                body.putObject("ExposedPorts").putObject(container);
                body.putObject("HostConfig").putObject("PortBindings").putArray(container).addObject()
                        .put("HostPort", hc.length == 2 ? hc[0] : "");
            }
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
}
