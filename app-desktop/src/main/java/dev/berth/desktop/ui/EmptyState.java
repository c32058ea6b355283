package dev.berth.desktop.ui;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Label;
import javafx.scene.layout.VBox;

/** What a view shows when it has nothing to list: a title and a hint of what to do. */
public final class EmptyState {
    private EmptyState() {
    }

    public static VBox of(String title, String hint, Node... actions) {
        Label t = new Label(title);
        t.getStyleClass().add("title-3");
        Label h = new Label(hint);
        h.getStyleClass().add("text-muted");
        h.setWrapText(true);
        VBox box = new VBox(8, t, h);
        box.getChildren().addAll(actions);
        box.setAlignment(Pos.CENTER);
        box.getStyleClass().add("berth-empty-state");
        return box;
    }
}
