package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.nav.Views;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.TestDaemon;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import dev.berth.desktop.FxWait;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Path;
import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class DeskMainWindowFxTest {
    @TempDir
    static Path dir;
    static TestDaemon daemon;
    EngineConnection engine;
    FxUiExecutor ui;
    DesktopCatalog catalog;

    @BeforeAll
    static void daemon() throws Exception {
        daemon = TestDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    /** The connection ends with the test, passed or not: none is left retrying a daemon that is gone. */
    @AfterEach
    void closeConnection() {
        engine.close();
        ui.close();
        catalog.close();
    }

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        ui = new FxUiExecutor();
        catalog = DesktopCatalog.open(dir.resolve("d.db"));
        engine = new EngineConnection(EngineEndpoint.unix(daemon.socket()), ui, Duration.ofMillis(200));
        MainWindow w = new MainWindow(new AppServices(ui, engine, catalog), Views.all());
        Scene scene = new Scene(w, 1000, 700);
        w.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        engine.start();
    }

    @Test
    void showsTheEngineRunningAndSwitchesViews(FxRobot robot) throws Exception {
        FxWait.until(10, () -> robot.lookup("#engine-status").queryAs(Label.class).getText().startsWith("Engine: running"));
        robot.clickOn("#nav-images");
        assertTrue(robot.lookup("#view-images").tryQuery().isPresent());

        // The engine goes away: the window says so; it comes back: the app reconnects by itself.
        daemon.stop();
        FxWait.until(10, () -> robot.lookup("#engine-status").queryAs(Label.class).getText().startsWith("Engine: not reachable"));
        daemon.restart();
        FxWait.until(10, () -> robot.lookup("#engine-status").queryAs(Label.class).getText().startsWith("Engine: running"));
    }
}
