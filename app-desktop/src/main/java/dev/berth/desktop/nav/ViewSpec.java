package dev.berth.desktop.nav;

import dev.berth.desktop.core.AppServices;
import javafx.scene.Node;
import org.kordamp.ikonli.Ikon;

import java.util.function.Function;

/**
 * One entry of the main window's navigation: an id (also the node id of its button, "nav-" + id),
 * a title, an icon and how to build the view. A view is built the first time it is shown.
 */
public record ViewSpec(String id, String title, Ikon icon, Function<AppServices, Node> factory) {
}
