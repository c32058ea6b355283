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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(ApplicationExtension.class)
class DeskMainWindowFxTest {
    @TempDir
    static Path dir;
    static TestDaemon daemon;
    EngineConnection engine;

    @BeforeAll
    static void daemon() throws Exception {
        daemon = TestDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Start
    void start(Stage stage) {
        Theme.LIGHT.apply();
        FxUiExecutor ui = new FxUiExecutor();
        engine = new EngineConnection(EngineEndpoint.unix(daemon.socket()), ui, Duration.ofMillis(200));
        MainWindow w = new MainWindow(new AppServices(ui, engine, DesktopCatalog.open(dir.resolve("d.db"))), Views.all());
        Scene scene = new Scene(w, 1000, 700);
        w.installShortcuts(scene);
        stage.setScene(scene);
        stage.show();
        engine.start();
    }

    @Test
    void showsTheEngineRunningAndSwitchesViews(FxRobot robot) throws Exception {
        WaitForAsyncUtils.waitFor(10, TimeUnit.SECONDS,
                () -> robot.lookup("#engine-status").queryAs(Label.class).getText().startsWith("Engine: running"));
        robot.clickOn("#nav-images");
        assertTrue(robot.lookup("#view-images").tryQuery().isPresent());
        engine.close();
    }
}
