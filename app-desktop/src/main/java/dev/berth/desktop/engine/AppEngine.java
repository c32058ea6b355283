package dev.berth.desktop.engine;

import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.DaemonOptions;
import dev.berth.engine.client.EngineEndpoint;

import java.nio.file.Path;
import java.util.Map;

/**
 * The app's engine status model for its connection: Berth's engine is the default socket
 * ({@code /run/berth/berth.sock} for root, {@code $XDG_RUNTIME_DIR/berth/berth.sock} otherwise, as
 * {@code berth daemon} uses) with the daemon's default data root, or the {@code engine.dataRoot}
 * setting; the launcher is {@code $BERTH_HOME/bin/berth} (BERTH_HOME from {@code -Dberth.home}).
 */
public final class AppEngine {
    private AppEngine() {
    }

    /** The catalog setting holding the data root typed in Settings (empty or absent: the daemon's default). */
    public static final String DATA_ROOT = "engine.dataRoot";

    /**
     * {@code storedDataRoot}: the {@link #DATA_ROOT} setting as read at start (off the UI thread); the
     * model then follows the setting as Settings writes it.
     */
    public static EngineStatusModel statusModel(UiExecutor ui, EngineConnection engine, DesktopCatalog catalog, String storedDataRoot) {
        return statusModel(ui, engine, catalog, storedDataRoot,
                DaemonLauncher.fromBerthHome(System.getProperty("berth.home"), DaemonOptions.isRoot()));
    }

    public static EngineStatusModel statusModel(UiExecutor ui, EngineConnection engine, DesktopCatalog catalog, String storedDataRoot,
                                                Launcher launcher) {
        EngineStatusModel model = new EngineStatusModel(ui, engine.stateProperty(), engine.lastErrorProperty(),
                EngineTarget.of(engine.endpoint(), defaultEndpoint().socketPath(), dataRoot(storedDataRoot).orElseGet(DaemonOptions::defaultDataRoot)),
                launcher, SocketProbe.real());
        if (catalog != null) {
            // On the writing thread, in the order written (UiExecutor.inOrder): the newest value reaches the model last.
            catalog.onSettingChanged((key, value) -> {
                if (DATA_ROOT.equals(key)) {
                    java.nio.file.Path root = dataRoot(value).orElseGet(DaemonOptions::defaultDataRoot);
                    ui.onUi(() -> model.useDataRoot(root));
                }
            });
        }
        return model;
    }

    /** A data root setting as a path; empty for blank (the daemon's default) or a string no path can be. */
    static java.util.Optional<Path> dataRoot(String setting) {
        if (setting == null || setting.isBlank()) {
            return java.util.Optional.empty();
        }
        try {
            return java.util.Optional.of(Path.of(setting.strip()));
        } catch (java.nio.file.InvalidPathException e) {
            return java.util.Optional.empty();
        }
    }

    /** Berth's engine's default socket, where {@code berth daemon} listens without {@code -H}. */
    public static EngineEndpoint defaultEndpoint() {
        return EngineEndpoint.unix(EngineEndpoint.resolve(null,
                Map.of("XDG_RUNTIME_DIR", System.getenv().getOrDefault("XDG_RUNTIME_DIR", ""))).socketPath());
    }

    public static EngineTarget target(EngineEndpoint endpoint, DesktopCatalog catalog) {
        Path dataRoot = (catalog == null ? java.util.Optional.<String>empty() : catalog.setting(DATA_ROOT))
                .flatMap(AppEngine::dataRoot).orElseGet(DaemonOptions::defaultDataRoot);
        return EngineTarget.of(endpoint, defaultEndpoint().socketPath(), dataRoot);
    }

    /** Reconnects the whole app to another engine: the connection, and the status model's target. */
    public static java.util.function.BiConsumer<EngineEndpoint, dev.berth.engine.client.EngineTls> switcher(
            dev.berth.desktop.core.AppServices services) {
        return (endpoint, tls) -> {
            if (services.engineStatus() == null) {
                services.engine().switchTo(endpoint, tls);
                return;
            }
            // The data root is a catalog read, so not on the UI thread this is called on; the status
            // model is retargeted before the switch, as its connection's new state must find the new target.
            services.ui().background(() -> target(endpoint, services.catalog()), t -> {
                services.engineStatus().retarget(t);
                services.engine().switchTo(endpoint, tls);
            }, e -> services.engine().switchTo(endpoint, tls));
        };
    }
}
