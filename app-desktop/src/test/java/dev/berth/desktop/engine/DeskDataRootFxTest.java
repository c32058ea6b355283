package dev.berth.desktop.engine;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.EngineStatusBar;
import dev.berth.desktop.ui.SettingsView;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.scene.layout.BorderPane;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static dev.berth.desktop.FxWait.waitFor;
import static dev.berth.desktop.FxWait.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The data root typed in Settings is the one the app starts Berth's engine with: typed over the stored
 * one key by key and "Start engine" clicked at once, the daemon the app launches (through
 * {@link DaemonLauncher}, running {@link FakeBerthCli}) gets {@code --data-root} with the whole typed
 * path, never a half-typed one or the value stored before. The status model is the app's
 * ({@link AppEngine#statusModel}); the catalog is never used on the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class DeskDataRootFxTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();
    final List<String> fxCatalogUse = new CopyOnWriteArrayList<>();
    FxUiExecutor ui;
    Stage stage;

    @Start
    void show(Stage stage) {
        this.stage = stage;
        ui = new FxUiExecutor();
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
        ui.close();
    }

    @Test
    void theEngineStartsWithTheDataRootTypedInSettingsNotAHalfTypedOrStoredOne(FxRobot robot) throws Exception {
        Path socket = dir.resolve("own/berth.sock");
        Files.createDirectories(socket.getParent());
        Path stored = dir.resolve("stored-root");
        Path typed = dir.resolve("typed-data-root");
        String java = System.getenv().getOrDefault("BERTH_TEST_JAVA", ProcessHandle.current().info().command().orElse("java"));
        DaemonLauncher launcher = new DaemonLauncher(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), FakeBerthCli.class.getName(), "daemon"), true);
        DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"));
        cleanup.add(catalog);
        catalog.putSetting(AppEngine.DATA_ROOT, stored.toString()); // as a previous run left it
        catalog.watchAccess(t -> {
            if (Platform.isFxApplicationThread()) {
                fxCatalogUse.add(Arrays.stream(new Throwable().getStackTrace()).limit(12).map(String::valueOf)
                        .collect(Collectors.joining("\n  ")));
            }
        });
        EngineConnection connection = new EngineConnection(EngineEndpoint.unix(socket), ui, Duration.ofMillis(200));
        cleanup.add(connection);
        EngineStatusModel[] model = new EngineStatusModel[1];
        ScrollPane[] scroll = new ScrollPane[1];
        robot.interact(() -> {
            Theme.LIGHT.apply();
            // the app reads the stored value at start off the FX thread (StartSettings) and hands it over
            model[0] = AppEngine.statusModel(ui, connection, catalog, stored.toString(), launcher);
            AppServices services = new AppServices(ui, connection, catalog, model[0]);
            scroll[0] = new ScrollPane(new SettingsView(services));
            scroll[0].setFitToWidth(true);
            BorderPane root = new BorderPane(scroll[0]);
            root.setBottom(new EngineStatusBar(services));
            stage.setScene(new Scene(root, 1100, 700));
            stage.show();
        });
        cleanup.add(() -> robot.interact(() -> {
            if (model[0].startedEngineAlive()) {
                model[0].stop();
            }
        }));
        connection.start();
        assertEquals(stored, model[0].target().dataRoot(), "the stored data root at start");

        TextField field = robot.lookup("#settings-engine-data-root").queryAs(TextField.class);
        waitFor("the stored data root shown", 15, () -> fx(() -> field.getText().equals(stored.toString())));
        waitFor("the engine may be started", 30, () -> fx(() -> model[0].canStartProperty().get()));
        robot.interact(() -> {
            Node content = scroll[0].getContent();
            Bounds b = content.sceneToLocal(field.localToScene(field.getBoundsInLocal()));
            double range = content.getBoundsInLocal().getHeight() - scroll[0].getViewportBounds().getHeight();
            scroll[0].setVvalue(range <= 0 ? 0 : Math.max(0, Math.min(1, (b.getMinY() - 40) / range)));
        });
        WaitForAsyncUtils.waitForFxEvents();
        robot.clickOn(field).push(KeyCode.CONTROL, KeyCode.A).push(KeyCode.BACK_SPACE).write(typed.toString());
        // at once: each key was a settings write of its own, and some may not have landed yet
        robot.clickOn("#status-engine-start");

        waitFor("the engine launched", 20, () -> fx(() -> model[0].startedEngineAlive()));
        long pid = fx(() -> model[0].startedPid().orElseThrow());
        cleanup.add(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        List<String> args = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline"), StandardCharsets.UTF_8).split("\0"));
        int at = args.indexOf("--data-root");
        assertTrue(at >= 0 && at + 1 < args.size(), args.toString());
        assertEquals(typed.toString(), args.get(at + 1), "the daemon's data root is the one typed: "
                + args.subList(args.indexOf(FakeBerthCli.class.getName()), args.size()));
        waitFor("the engine running", 60, () -> connection.state() == EngineConnection.State.CONNECTED);
        assertTrue(Files.readString(typed.resolve(DaemonLauncher.LOG_NAME)).contains("--data-root " + typed),
                "the launch is logged in the typed data root");
        assertFalse(Files.exists(stored.resolve(DaemonLauncher.LOG_NAME)), "nothing started with the stored one");

        CountDownLatch written = new CountDownLatch(1);
        ui.inOrder(written::countDown);
        assertTrue(written.await(10, TimeUnit.SECONDS));
        assertEquals(Optional.of(typed.toString()), catalog.setting(AppEngine.DATA_ROOT), "kept for the next start");

        robot.interact(model[0]::stop);
        waitFor("the engine stopped", 30, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(List.of(), fxCatalogUse, "catalog use on the FX thread");
    }
}
