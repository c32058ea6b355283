package dev.berth.desktop;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.nav.Views;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.MainWindow;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.desktop.engine.AppEngine;
import dev.berth.desktop.engine.EngineStatusModel;
import dev.berth.desktop.ui.Notifier;
import javafx.application.Application;
import javafx.scene.Scene;
import javafx.stage.Stage;

import java.time.Duration;

/** The JavaFX application: opens the catalog, connects to the engine, shows the main window. */
public final class BerthApp extends Application {
    /** From {@code --host}; null means DOCKER_HOST or the default socket. */
    static volatile String explicitHost;

    private FxUiExecutor ui;
    private EngineConnection engine;
    private DesktopCatalog catalog;

    @Override
    public void start(Stage stage) {
        long started = Long.getLong("berth.desktop.launchMillis", System.currentTimeMillis());
        StartupProbe.mark("fx-start");
        EarlyStart.Opened opened = EarlyStart.take(explicitHost);
        catalog = opened.catalog();
        ui = opened.ui();
        engine = opened.engine();
        // Connect first: the ping and the events subscription run on their thread while this one builds
        // the window, and the views built meanwhile still hear of the connection (EngineConnection).
        engine.start();
        StartupProbe.mark("engine-started");
        StartSettings settings = opened.settings();
        Theme.parse(settings.theme()).apply();
        StartupProbe.mark("theme");
        EngineStatusModel engineStatus = AppEngine.statusModel(ui, engine, catalog, settings.dataRoot());
        AppServices services = new AppServices(ui, engine, catalog, engineStatus);
        // The view last open (or berth.desktop.view) is the only one built now.
        String initial = System.getProperty("berth.desktop.view", settings.lastView());
        MainWindow main = new MainWindow(services, Views.all(), initial);
        main.setOnViewShown(new LastView(ui, catalog, initial));
        Scene scene = new Scene(main, 1200, 760);
        main.installShortcuts(scene);
        StartupProbe.mark("main-window");
        stage.setTitle("Berth");
        stage.setScene(scene);
        AppIcon.installAfterFirstLayout(stage, scene);
        stage.show();
        StartupProbe.mark("shown");
        Notifier.install(services, stage);
        if (settings.engineAutostart()) {
            engineStatus.startIfNeeded();
        }
        if (StartupProbe.ON) {
            StartupProbe.install(scene, started);
            System.out.println("berth-desktop: window shown after " + (System.currentTimeMillis() - started) + " ms");
        }
        DeferredTray.install(services, stage, main);
    }


    /** Saves the view shown (in the background: a write on the UI thread could wait on the disk). */
    private record LastView(FxUiExecutor ui, DesktopCatalog catalog, String[] saved) implements java.util.function.Consumer<String> {
        LastView(FxUiExecutor ui, DesktopCatalog catalog, String initial) {
            this(ui, catalog, new String[] {initial});
        }

        @Override
        public void accept(String id) {
            if (!id.equals(saved[0])) {
                saved[0] = id;
                ui.inOrder(() -> catalog.putSetting(StartSettings.LAST_VIEW, id));
            }
        }
    }

    @Override
    public void stop() {
        if (engine != null) {
            engine.close();
        }
        if (ui != null) {
            ui.close();
        }
        if (catalog != null) {
            catalog.close();
        }
    }
}
