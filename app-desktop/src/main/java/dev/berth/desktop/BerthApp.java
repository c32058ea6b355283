package dev.berth.desktop;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.nav.Views;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.MainWindow;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.desktop.tray.Tray;
import dev.berth.desktop.tray.TrayController;
import dev.berth.desktop.tray.TrayMenuModel;
import dev.berth.desktop.engine.AppEngine;
import dev.berth.desktop.engine.EngineStatusModel;
import dev.berth.desktop.ui.Notifier;
import javafx.application.Application;
import javafx.application.Platform;
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
        catalog = DesktopCatalog.openDefault();
        Theme.parse(catalog.setting("theme").orElse("system")).apply();
        ui = new FxUiExecutor();
        // --host wins, then the connection made active in Settings, then BERTH_HOST/DOCKER_HOST, then the default socket.
        String host = explicitHost != null ? explicitHost : dev.berth.desktop.engine.ConnectionsModel.activeHost(catalog).orElse(null);
        dev.berth.engine.client.EngineTls tls = explicitHost != null ? null
                : dev.berth.desktop.engine.ConnectionsModel.activeTls(catalog).orElse(null);
        engine = new EngineConnection(EngineEndpoint.resolve(host, System.getenv()), tls, ui, Duration.ofSeconds(2));
        EngineStatusModel engineStatus = AppEngine.statusModel(ui, engine, catalog);
        AppServices services = new AppServices(ui, engine, catalog, engineStatus);
        MainWindow main = new MainWindow(services, Views.all());
        Scene scene = new Scene(main, 1200, 760);
        main.installShortcuts(scene);
        stage.setTitle("Berth");
        stage.setScene(scene);
        AppIcon.install(stage);
        stage.show();
        Tray tray = Tray.install();
        if (tray != null) {
            Platform.setImplicitExit(false);
            DesktopTrayActions actions = new DesktopTrayActions(services, stage, main);
            TrayController controller = new TrayController(services, new TrayMenuModel(actions), tray, stage::isShowing);
            actions.onWindowToggled(controller::refresh);
            stage.showingProperty().addListener((o, a, b) -> controller.refresh());
        }
        Notifier.install(services, stage);
        if (!"false".equals(catalog.setting("engine.autostart").orElse("true"))) {
            engineStatus.startIfNeeded();
        }
        engine.start();
        if (Boolean.getBoolean("berth.desktop.reportStartup")) {
            StartupProbe.install(scene, main, started);
            System.out.println("berth-desktop: window shown after " + (System.currentTimeMillis() - started) + " ms");
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
