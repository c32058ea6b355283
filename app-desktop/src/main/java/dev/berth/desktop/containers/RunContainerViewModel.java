package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.UiExecutor;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * "Run a container"'s fields as typed, the engine's networks to choose from, and the run: checked by
 * {@link RunRequest} first (its words shown in {@link #errorProperty()}), then created and started.
 */
public final class RunContainerViewModel {
    /** Creates and starts a container; the engine in the app, a recording one in tests. */
    interface Runner {
        String createAndStart(String name, ObjectNode body) throws Exception;
    }

    private final StringProperty image = new SimpleStringProperty("");
    private final StringProperty name = new SimpleStringProperty("");
    private final StringProperty command = new SimpleStringProperty("");
    private final StringProperty ports = new SimpleStringProperty("");
    private final StringProperty env = new SimpleStringProperty("");
    private final StringProperty volumes = new SimpleStringProperty("");
    private final StringProperty network = new SimpleStringProperty("");
    private final StringProperty restart = new SimpleStringProperty("no");
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");
    private final ObservableList<String> networks = FXCollections.observableArrayList();
    private final BooleanBinding imageMissing = Bindings.createBooleanBinding(
            () -> image.get() == null || image.get().isEmpty(), image);
    private final UiExecutor ui;
    private final Runner runner;

    public RunContainerViewModel(AppServices services) {
        this(services.ui(), () -> {
            List<String> names = new java.util.ArrayList<>();
            services.engine().client().networks().list(null).forEach(n -> names.add(n.path("Name").asText()));
            return names;
        }, (n, body) -> {
                    String id = services.engine().client().containers().create(n, null, body).id();
                    services.engine().client().containers().start(id);
                    return id;
                });
    }

    RunContainerViewModel(UiExecutor ui, Callable<List<String>> networkNames, Runner runner) {
        this.ui = ui;
        this.runner = runner;
        ui.background(networkNames, networks::addAll, e -> { });
    }

    public StringProperty imageProperty() {
        return image;
    }

    public StringProperty nameProperty() {
        return name;
    }

    public StringProperty commandProperty() {
        return command;
    }

    public StringProperty portsProperty() {
        return ports;
    }

    public StringProperty envProperty() {
        return env;
    }

    public StringProperty volumesProperty() {
        return volumes;
    }

    public StringProperty networkProperty() {
        return network;
    }

    public StringProperty restartProperty() {
        return restart;
    }

    /** What is wrong with the input, or why the engine refused it; empty when nothing is. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** The engine's networks, by name. */
    public ObservableList<String> networks() {
        return networks;
    }

    /** True while there is no image to run: nothing to send. */
    public BooleanBinding imageMissingProperty() {
        return imageMissing;
    }

    private static String text(StringProperty p) {
        return p.get() == null ? "" : p.get();
    }

    /**
     * Checks the input and, when it can be sent, creates and starts the container in the background;
     * {@code started} then gets its id. Returns false when the input was refused (nothing sent).
     */
    public boolean run(Consumer<String> started) {
        RunRequest req = new RunRequest(text(image), text(name), text(command), text(ports), text(env), text(volumes),
                text(network), text(restart));
        String problem = req.problem();
        if (problem != null) {
            error.set(problem);
            return false;
        }
        error.set("");
        ObjectNode body = req.body();
        String n = text(name).strip();
        ui.background(() -> runner.createAndStart(n, body), started, e -> error.set(e.getMessage()));
        return true;
    }
}
