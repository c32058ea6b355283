package dev.berth.desktop.ui;

import javafx.beans.value.ObservableBooleanValue;
import javafx.geometry.Insets;
import javafx.scene.control.Label;

/**
 * The line above a list that shows the catalog's kept copy while the engine has not answered yet: the
 * rows may be out of date, and acting on one may find it gone. Takes no room once the list is live.
 */
public final class LastKnownLabel {
    public static final String TEXT = "Last known list — connecting to the engine…";

    private LastKnownLabel() {
    }

    /** A label with id {@code viewId + "-last-known"}, shown while {@code showingLastKnown} is true. */
    public static Label of(String viewId, ObservableBooleanValue showingLastKnown) {
        Label l = new Label(TEXT);
        l.setId(viewId + "-last-known");
        l.getStyleClass().add("text-muted");
        l.setPadding(new Insets(4, 8, 4, 8));
        l.visibleProperty().bind(showingLastKnown);
        l.managedProperty().bind(showingLastKnown);
        return l;
    }
}
