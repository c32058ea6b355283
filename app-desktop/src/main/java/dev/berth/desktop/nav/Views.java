package dev.berth.desktop.nav;

import org.kordamp.ikonli.feather.Feather;

import java.util.List;

/** The navigation's views, in order. Adding a view is one line here. */
public final class Views {
    private Views() {
    }

    public static List<ViewSpec> all() {
        return List.of(
                new ViewSpec("dashboard", "Dashboard", Feather.HOME, dev.berth.desktop.ui.DashboardView::new),
                new ViewSpec("containers", "Containers", Feather.BOX, dev.berth.desktop.containers.ContainersView::new),
                new ViewSpec("images", "Images", Feather.LAYERS, dev.berth.desktop.images.ImagesView::new),
                new ViewSpec("builds", "Builds", Feather.TOOL, dev.berth.desktop.build.BuildsView::new),
                new ViewSpec("volumes", "Volumes", Feather.DATABASE, dev.berth.desktop.ui.Resources::volumes),
                new ViewSpec("networks", "Networks", Feather.SHARE_2, dev.berth.desktop.ui.Resources::networks),
                new ViewSpec("registries", "Registries", Feather.CLOUD, dev.berth.desktop.registries.RegistriesView::new),
                new ViewSpec("activity", "Activity", Feather.ACTIVITY, dev.berth.desktop.ui.ActivityView::new),
                new ViewSpec("settings", "Settings", Feather.SETTINGS, dev.berth.desktop.ui.SettingsView::scrolling)
        );
    }
}
