package dev.berth.desktop.tray;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.engine.EngineStatusModel;
import dev.berth.engine.client.model.ContainerSummary;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Keeps the tray in step with the app (UI thread): the engine's status and the containers, reloaded on
 * connect and on container events. Favourites are the names in the {@link #FAVOURITES} setting, read
 * and followed off the UI thread (the catalog is not used on it).
 */
public final class TrayController {
    /** The catalog setting listing the favourite containers' names, comma-separated. */
    public static final String FAVOURITES = "tray.favourites";

    /** Where the menu goes: the AWT tray ({@link Tray#show}), or a test's record of it. */
    public interface Display {
        void show(TrayMenuModel model, TrayMenuModel.Snapshot snapshot);
    }

    private final AppServices services;
    private final TrayMenuModel model;
    private final Display tray;
    private final java.util.function.BooleanSupplier windowShowing;
    private List<TrayMenuModel.TrayContainer> containers = List.of();
    private Set<String> favourites = Set.of();

    public TrayController(AppServices services, TrayMenuModel model, Display tray, java.util.function.BooleanSupplier windowShowing) {
        this.services = services;
        this.model = model;
        this.tray = tray;
        this.windowShowing = windowShowing;
        if (services.catalog() != null) {
            var catalog = services.catalog();
            services.ui().inOrder(() -> {
                Set<String> read = parseFavourites(catalog.setting(FAVOURITES).orElse(""));
                services.ui().onUi(() -> setFavourites(read));
            });
            catalog.onSettingChanged((key, value) -> {
                if (FAVOURITES.equals(key)) {
                    Set<String> changed = parseFavourites(value);
                    services.ui().onUi(() -> setFavourites(changed));
                }
            });
        }
        EngineStatusModel status = services.engineStatus();
        status.statusProperty().addListener((o, a, b) -> {
            if (b != dev.berth.desktop.engine.EngineStatus.RUNNING) {
                containers = List.of();
            }
            refresh();
        });
        status.canStartProperty().addListener((o, a, b) -> refresh());
        status.canStopProperty().addListener((o, a, b) -> refresh());
        services.engine().onConnected(this::reload);
        services.engine().onEvent(e -> {
            if ("container".equals(e.type())) {
                reload();
            }
        });
        refresh();
        // Made after the connection came up (the app sets the tray up late): that announcement is past.
        if (services.engine().state() == dev.berth.desktop.core.EngineConnection.State.CONNECTED) {
            reload();
        }
    }

    private void reload() {
        services.engine().call(c -> c.containers().list(true, 0, false, null), list -> {
            containers = list.stream().map(TrayController::of).toList();
            refresh();
        }, e -> { });
    }

    static TrayMenuModel.TrayContainer of(ContainerSummary s) {
        String name = s.names().isEmpty() ? s.id().substring(0, Math.min(12, s.id().length())) : s.names().get(0).replaceFirst("^/", "");
        List<String> urls = new ArrayList<>();
        for (ContainerSummary.Port p : s.ports()) {
            if (p.publicPort() > 0 && "tcp".equals(p.type())) {
                String url = "http://localhost:" + p.publicPort();
                if (!urls.contains(url)) {
                    urls.add(url);
                }
            }
        }
        return new TrayMenuModel.TrayContainer(s.id(), name, s.state(), urls);
    }

    /** Rebuilds the menu and icon from the current state (also after the window is shown or hidden). */
    public void refresh() {
        EngineStatusModel s = services.engineStatus();
        tray.show(model, new TrayMenuModel.Snapshot(s.status(), s.messageProperty().get(), s.canStartProperty().get(),
                s.canStopProperty().get(), windowShowing.getAsBoolean(), containers, favourites));
    }

    private void setFavourites(Set<String> names) {
        favourites = names;
        refresh();
    }

    /** The names in a {@link #FAVOURITES} value. */
    public static Set<String> parseFavourites(String value) {
        return value == null ? Set.of() : Arrays.stream(value.split(","))
                .map(String::strip).filter(n -> !n.isEmpty()).collect(Collectors.toUnmodifiableSet());
    }

    /** The {@link #FAVOURITES} value for these names (sorted, so a setting reads the same whichever order they were ticked). */
    public static String formatFavourites(java.util.Collection<String> names) {
        return names.stream().map(String::strip).filter(n -> !n.isEmpty()).distinct().sorted().collect(Collectors.joining(","));
    }
}
