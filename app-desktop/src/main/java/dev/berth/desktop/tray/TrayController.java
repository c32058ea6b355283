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
 * connect and on container events. Favourites are the names in the {@code tray.favourites} setting.
 */
public final class TrayController {
    private final AppServices services;
    private final TrayMenuModel model;
    private final Tray tray;
    private final java.util.function.BooleanSupplier windowShowing;
    private List<TrayMenuModel.TrayContainer> containers = List.of();

    public TrayController(AppServices services, TrayMenuModel model, Tray tray, java.util.function.BooleanSupplier windowShowing) {
        this.services = services;
        this.model = model;
        this.tray = tray;
        this.windowShowing = windowShowing;
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
                s.canStopProperty().get(), windowShowing.getAsBoolean(), containers, favourites()));
    }

    private Set<String> favourites() {
        if (services.catalog() == null) {
            return Set.of();
        }
        return Arrays.stream(services.catalog().setting("tray.favourites").orElse("").split(","))
                .map(String::strip).filter(n -> !n.isEmpty()).collect(Collectors.toSet());
    }
}
