package dev.berth.desktop.nav;

import dev.berth.desktop.ui.PlaceholderView;
import org.kordamp.ikonli.feather.Feather;

import java.util.List;

/** The navigation's views, in order. Adding a view is one line here. */
public final class Views {
    private Views() {
    }

    public static List<ViewSpec> all() {
        return List.of(
                new ViewSpec("dashboard", "Dashboard", Feather.HOME, s -> PlaceholderView.of("Dashboard")),
                new ViewSpec("containers", "Containers", Feather.BOX, s -> PlaceholderView.of("Containers")),
                new ViewSpec("images", "Images", Feather.LAYERS, s -> PlaceholderView.of("Images")),
                new ViewSpec("volumes", "Volumes", Feather.DATABASE, s -> PlaceholderView.of("Volumes")),
                new ViewSpec("networks", "Networks", Feather.SHARE_2, s -> PlaceholderView.of("Networks")),
                new ViewSpec("registries", "Registries", Feather.CLOUD, dev.berth.desktop.registries.RegistriesView::new),
                new ViewSpec("activity", "Activity", Feather.ACTIVITY, s -> PlaceholderView.of("Activity")),
                new ViewSpec("settings", "Settings", Feather.SETTINGS, s -> PlaceholderView.of("Settings"))
        );
    }
}
