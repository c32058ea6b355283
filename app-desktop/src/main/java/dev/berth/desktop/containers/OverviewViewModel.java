package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.UiExecutor;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

/** The Overview tab's rows (ID, name, image, state, created, command) from one inspect, or why there are none. */
final class OverviewViewModel {
    record Field(String key, String value) {
    }

    private final ObservableList<Field> fields = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Loading…");

    OverviewViewModel(String containerId, AppServices services) {
        this(services.ui(), () -> services.engine().client().containers().inspect(containerId));
    }

    OverviewViewModel(UiExecutor ui, Callable<JsonNode> inspect) {
        ui.background(inspect, json -> {
            message.set("");
            fields.setAll(fields(json));
        }, e -> message.set("Cannot inspect: " + e.getMessage()));
    }

    /** Empty until the inspect answers. */
    ObservableList<Field> fields() {
        return fields;
    }

    /** "Loading…", then empty, or why the inspect failed. */
    ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    static List<Field> fields(JsonNode json) {
        List<Field> out = new ArrayList<>();
        out.add(new Field("ID", json.path("Id").asText()));
        out.add(new Field("Name", json.path("Name").asText().replaceFirst("^/", "")));
        out.add(new Field("Image", json.path("Config").path("Image").asText()));
        out.add(new Field("State", json.path("State").path("Status").asText()));
        out.add(new Field("Created", json.path("Created").asText()));
        JsonNode cmd = json.path("Config").path("Cmd");
        List<String> parts = new ArrayList<>();
        cmd.forEach(n -> parts.add(n.asText()));
        out.add(new Field("Command", cmd.isArray() ? String.join(" ", parts) : ""));
        return out;
    }
}
