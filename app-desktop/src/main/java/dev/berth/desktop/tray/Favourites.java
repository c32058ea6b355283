package dev.berth.desktop.tray;

import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import javafx.collections.FXCollections;
import javafx.collections.ObservableSet;

import java.util.Set;
import java.util.TreeSet;

/**
 * The tray's favourite containers ({@link TrayController#FAVOURITES}) for a view model: read and
 * followed off the UI thread, changed one name at a time. Each change reads the stored names, adds or
 * removes one and writes them back in a single {@link UiExecutor#inOrder} step, so the containers
 * view and Settings' check list can both change favourites without one writing back a stale list.
 */
public final class Favourites {
    private final UiExecutor ui;
    private final DesktopCatalog catalog;
    private final ObservableSet<String> names = FXCollections.observableSet(new TreeSet<>());
    /** This model's changes not yet written: news of other writes meanwhile waits for their result. */
    private int pending;

    /** {@code catalog} may be null (nothing stored, nothing kept). Build on the UI thread. */
    public Favourites(UiExecutor ui, DesktopCatalog catalog) {
        this.ui = ui;
        this.catalog = catalog;
        if (catalog == null) {
            return;
        }
        catalog.onSettingChanged((key, value) -> {
            if (TrayController.FAVOURITES.equals(key)) {
                Set<String> now = TrayController.parseFavourites(value);
                ui.onUi(() -> news(now));
            }
        });
        ui.inOrder(() -> {
            Set<String> stored = TrayController.parseFavourites(catalog.setting(TrayController.FAVOURITES).orElse(""));
            ui.onUi(() -> news(stored));
        });
    }

    private void news(Set<String> now) {
        if (pending == 0 && !names.equals(now)) {
            names.retainAll(now);
            names.addAll(now);
        }
    }

    /** The favourites' names, sorted; UI thread. */
    public ObservableSet<String> names() {
        return names;
    }

    public boolean contains(String name) {
        return names.contains(name);
    }

    /** Marks {@code name} as a favourite or not: shown at once, kept in the catalog in the background. */
    public void set(String name, boolean favourite) {
        if (!(favourite ? names.add(name) : names.remove(name)) || catalog == null) {
            return;
        }
        pending++;
        ui.inOrder(() -> {
            Set<String> stored = null;
            try {
                stored = new TreeSet<>(TrayController.parseFavourites(catalog.setting(TrayController.FAVOURITES).orElse("")));
                if (favourite ? stored.add(name) : stored.remove(name)) {
                    catalog.putSetting(TrayController.FAVOURITES, TrayController.formatFavourites(stored));
                }
            } finally {
                Set<String> result = stored; // null when the catalog failed: the next news corrects the view
                ui.onUi(() -> {
                    pending--;
                    if (result != null) {
                        news(result);
                    }
                });
            }
        });
    }
}
