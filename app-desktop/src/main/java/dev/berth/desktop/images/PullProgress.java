package dev.berth.desktop.images;

import dev.berth.engine.client.model.JsonMessage;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

/** A pull's progress, one line per layer, fed from the engine's JSON message stream. */
public final class PullProgress {
    /** One layer: its id, the engine's status word and how far it is (0..1, or -1 when unknown). */
    public record Layer(String id, String status, double fraction) {
    }

    private final ObservableList<Layer> layers = FXCollections.observableArrayList();
    private final StringProperty status = new SimpleStringProperty("Starting…");

    public ObservableList<Layer> layers() {
        return layers;
    }

    public StringProperty statusProperty() {
        return status;
    }

    /** Applies one message; returns its error, or null. */
    public String accept(JsonMessage m) {
        if (m.isError()) {
            status.set("Failed: " + m.errorMessage());
            return m.errorMessage();
        }
        if (m.id() != null && !m.id().isEmpty() && m.status() != null && m.progressDetail() != null || isLayerStatus(m)) {
            double f = -1;
            if (m.progressDetail() != null && m.progressDetail().total() > 0) {
                f = Math.min(1, (double) m.progressDetail().current() / m.progressDetail().total());
            }
            if (m.status().startsWith("Pull complete") || m.status().startsWith("Already exists")) {
                f = 1;
            }
            Layer next = new Layer(m.id(), m.status(), f);
            for (int i = 0; i < layers.size(); i++) {
                if (layers.get(i).id().equals(m.id())) {
                    layers.set(i, next);
                    return null;
                }
            }
            layers.add(next);
        } else if (m.status() != null) {
            status.set(m.status());
        }
        return null;
    }

    private static boolean isLayerStatus(JsonMessage m) {
        return m.id() != null && m.status() != null && m.id().matches("[0-9a-f]{12}");
    }
}
