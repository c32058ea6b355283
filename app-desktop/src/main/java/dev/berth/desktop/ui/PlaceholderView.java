package dev.berth.desktop.ui;

import javafx.scene.Node;

/** A view that is not built yet: says so rather than showing nothing. */
public final class PlaceholderView {
    private PlaceholderView() {
    }

    public static Node of(String title) {
        return EmptyState.of(title, "This view is not available yet.");
    }
}
