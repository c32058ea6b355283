package dev.berth.desktop;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.nav.ViewSpec;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.MainWindow;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.testfx.api.FxRobot;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The app's main window over a real engine, wired as the FX tests need it: a UI executor, a catalog file, a
 * connection (not started: a test starts it when it is ready), the window with its shortcuts, shown on the
 * test's stage. {@link #close} undoes it after each test.
 */
public record DeskWindow(Stage stage, FxUiExecutor ui, DesktopCatalog catalog, EngineConnection connection,
                         AppServices services, MainWindow window) {

    /** Called from a TestFX {@code @Start} method, on the FX thread. */
    public static DeskWindow show(Stage stage, Path engineSocket, Path catalogFile, List<ViewSpec> views, double width,
                                  double height) {
        Theme.LIGHT.apply();
        FxUiExecutor ui = new FxUiExecutor();
        DesktopCatalog catalog = DesktopCatalog.open(catalogFile);
        EngineConnection connection = new EngineConnection(EngineEndpoint.unix(engineSocket), ui, Duration.ofMillis(200));
        AppServices services = new AppServices(ui, connection, catalog);
        MainWindow window = new MainWindow(services, views);
        Scene scene = new Scene(window, width, height);
        window.installShortcuts(scene);
        stage.setScene(scene);
        stage.sizeToScene();
        stage.show();
        return new DeskWindow(stage, ui, catalog, connection, services, window);
    }

    /** Adds where the catalog was used on the FX thread to {@code uses}; the tests assert it stays empty. */
    public void recordCatalogUseOnFxThread(List<String> uses) {
        catalog.watchAccess(t -> {
            if (Platform.isFxApplicationThread()) {
                uses.add(new Throwable().getStackTrace()[2].toString());
            }
        });
    }

    /** Closes the windows a test opened besides the main one, then the connection, the executor and the catalog. */
    public void close(FxRobot robot) {
        robot.interact(() -> new ArrayList<>(Window.getWindows()).stream().filter(w -> w != stage && w instanceof Stage)
                .forEach(w -> ((Stage) w).close()));
        catalog.watchAccess(null);
        connection.close();
        ui.close();
        catalog.close();
    }
}
