package dev.berth.desktop.containers;

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
 * policy, bound to {@link RunContainerViewModel}, which checks them and creates and starts the container.
 */
public final class RunContainerDialog extends Dialog<String> {
    /** Pre-filled with an image, as the build wizard's Run button opens it. */
    public RunContainerDialog(AppServices services, String imageRef) {
        this(prefilled(new RunContainerViewModel(services), imageRef));
    }

    private static RunContainerViewModel prefilled(RunContainerViewModel vm, String imageRef) {
        vm.imageProperty().set(imageRef == null ? "" : imageRef);
        return vm;
    }

    RunContainerDialog(AppServices services) {
        this(new RunContainerViewModel(services));
    }

    RunContainerDialog(RunContainerViewModel vm) {
        setTitle("Run a container");
        TextField image = field("run-image", "busybox:latest", vm.imageProperty());
        TextField name = field("run-name", "optional: a name instead of a random one", vm.nameProperty());
        TextField cmd = field("run-command", "sleep 3600 (empty: the image's command)", vm.commandProperty());
        TextField port = field("run-port", "8080:80, 127.0.0.1:5353:53/udp", vm.portsProperty());
        TextArea env = area("run-env", "NAME=value, one a line", vm.envProperty());
        TextArea volumes = area("run-volumes", "data:/var/lib/data or /host/path:/path:ro, one a line", vm.volumesProperty());
        ComboBox<String> network = new ComboBox<>(vm.networks());
        network.setId("run-network");
        network.setEditable(true);
        network.setPromptText("bridge (default)");
        network.setMaxWidth(Double.MAX_VALUE);
        ComboBox<String> restart = new ComboBox<>(javafx.collections.FXCollections.observableArrayList(RunRequest.RESTART_POLICIES));
        restart.setId("run-restart");
        restart.valueProperty().bindBidirectional(vm.restartProperty());
        restart.setMaxWidth(Double.MAX_VALUE);
        Label error = new Label();
        error.setId("run-error");
        error.getStyleClass().add("danger");
        error.setWrapText(true);
        error.textProperty().bind(vm.errorProperty());
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
        getDialogPane().lookupButton(ButtonType.OK).disableProperty().bind(vm.imageMissingProperty());
        setResultConverter(b -> b == ButtonType.OK ? vm.imageProperty().get() : null);
        getDialogPane().lookupButton(ButtonType.OK).addEventFilter(javafx.event.ActionEvent.ACTION, ev -> {
            ev.consume();
            // an editable combo box: what is typed, else what was chosen
            String typed = network.getEditor().getText();
            vm.networkProperty().set(typed == null || typed.isBlank() ? (network.getValue() == null ? "" : network.getValue()) : typed);
            vm.run(id -> {
                setResult(id);
                close();
            });
        });
    }

    /** A field's name, never shortened: the grid gave the fields the width and cut the names to "Com…", "Envir…". */
    private static Label label(String text) {
        Label l = new Label(text);
        l.setMinWidth(javafx.scene.layout.Region.USE_PREF_SIZE);
        return l;
    }

    private static TextField field(String id, String prompt, javafx.beans.property.StringProperty value) {
        TextField f = new TextField();
        f.setId(id);
        f.setPromptText(prompt);
        f.textProperty().bindBidirectional(value);
        return f;
    }

    private static TextArea area(String id, String prompt, javafx.beans.property.StringProperty value) {
        TextArea a = new TextArea();
        a.setId(id);
        a.setPromptText(prompt);
        a.setPrefRowCount(2);
        a.textProperty().bindBidirectional(value);
        return a;
    }
}
