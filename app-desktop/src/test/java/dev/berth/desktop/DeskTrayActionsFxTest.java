package dev.berth.desktop;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.engine.DaemonLauncher;
import dev.berth.desktop.engine.EngineStatusModel;
import dev.berth.desktop.engine.EngineTarget;
import dev.berth.desktop.engine.SocketProbe;
import dev.berth.desktop.nav.Views;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.tray.Tray;
import dev.berth.desktop.ui.MainWindow;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.testing.TestImages;
import javafx.scene.Scene;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.berth.desktop.FxWait.waitFor;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the tray's entries do, against real engines: a container stopped, started and restarted, an
 * image pulled through the tray's dialog, the window hidden and shown; quitting asks whether to stop
 * the engine the app started and does what was chosen; with no tray the app says so, once.
 */
@ExtendWith(ApplicationExtension.class)
class DeskTrayActionsFxTest {
    @TempDir
    static Path dir;
    static BusyboxOnBerth engine;
    final List<AutoCloseable> cleanup = new ArrayList<>();
    FxUiExecutor ui;
    Stage stage;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), Files.createDirectories(dir.resolve("docker")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

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

    private DesktopTrayActions actions(FxRobot robot, AppServices services) {
        DesktopTrayActions[] a = new DesktopTrayActions[1];
        robot.interact(() -> {
            MainWindow window = new MainWindow(services, Views.all());
            stage.setScene(new Scene(window, 1000, 700));
            stage.sizeToScene();
            stage.show();
            a[0] = new DesktopTrayActions(services, stage, window);
        });
        return a[0];
    }

    /** Clicks the button labelled {@code text} once its dialog is laid out on screen (bounded). */
    private static void clickWhenShown(FxRobot robot, String text) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                robot.clickOn(robot.lookup(".dialog-pane .button").match((javafx.scene.control.Button b) -> text.equals(b.getText())
                        && b.isVisible() && b.getScene() != null && b.getScene().getWindow() != null && b.getScene().getWindow().isShowing())
                        .queryButton());
                return;
            } catch (RuntimeException e) {
                if (System.nanoTime() > deadline) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
    }

    private static boolean onAShowingWindow(javafx.scene.Node node) {
        return node.isVisible() && node.getScene() != null && node.getScene().getWindow() != null
                && node.getScene().getWindow().isShowing();
    }

    private String state(String name) {
        return engine.docker("inspect", "-f", "{{.State.Status}}", name).stdout().strip();
    }

    @Test
    void containersAreStoppedStartedAndRestartedAnImagePulledAndTheWindowHiddenAndShown(FxRobot robot) throws Exception {
        DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("a.db"));
        cleanup.add(catalog);
        EngineConnection connection = new EngineConnection(EngineEndpoint.unix(engine.daemon().socket()), ui, Duration.ofMillis(200));
        cleanup.add(connection);
        connection.start();
        DesktopTrayActions actions = actions(robot, new AppServices(ui, connection, catalog));
        engine.docker("run", "-d", "--network", "none", "--name", "desk5-tray", engine.ref(), "sleep", "300").assertOk();
        String id = engine.docker("inspect", "-f", "{{.Id}}", "desk5-tray").stdout().strip();
        try {
            String started = engine.docker("inspect", "-f", "{{.State.StartedAt}}", "desk5-tray").stdout().strip();
            actions.restartContainer(id);
            waitFor("restarted", 30, () -> state("desk5-tray").equals("running")
                    && !engine.docker("inspect", "-f", "{{.State.StartedAt}}", "desk5-tray").stdout().strip().equals(started));
            actions.stopContainer(id);
            waitFor("stopped", 30, () -> state("desk5-tray").equals("exited"));
            actions.startContainer(id);
            waitFor("started", 15, () -> state("desk5-tray").equals("running"));
        } finally {
            engine.docker("rm", "-f", "desk5-tray");
        }

        String ref = engine.registry().push(TestImages.busybox(TestImages.Options.defaults().withHello("desk5 tray")), "desk5/tray:1");
        actions.pullImage();
        // The dialog's nodes exist before its window is showing; a click then finds "no visible node".
        waitFor("the pull dialog", 10, () -> robot.lookup(".text-input-dialog .text-field").match(DeskTrayActionsFxTest::onAShowingWindow)
                .tryQuery().isPresent());
        robot.clickOn(robot.lookup(".text-input-dialog .text-field").match(DeskTrayActionsFxTest::onAShowingWindow).<javafx.scene.Node>query())
                .write(ref);
        clickWhenShown(robot, "OK");
        waitFor("pulled", 30, () -> engine.docker("image", "inspect", ref).exitCode() == 0);

        actions.showHide();
        waitFor("hidden", 5, () -> WaitForAsyncUtils.asyncFx(() -> !stage.isShowing()).get(5, TimeUnit.SECONDS));
        actions.showHide();
        waitFor("shown", 5, () -> WaitForAsyncUtils.asyncFx(stage::isShowing).get(5, TimeUnit.SECONDS));
    }

    @Test
    void quittingAsksWhetherToStopTheEngineTheAppStartedAndDoesWhatWasChosen(FxRobot robot) throws Exception {
        Path socket = dir.resolve("own/berth.sock");
        Files.createDirectories(socket.getParent());
        Path dataRoot = dir.resolve("own-data");
        String java = System.getenv().getOrDefault("BERTH_TEST_JAVA", ProcessHandle.current().info().command().orElse("java"));
        DaemonLauncher launcher = new DaemonLauncher(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), dev.berth.desktop.engine.FakeBerthCli.class.getName(), "daemon"), true);
        DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("b.db"));
        cleanup.add(catalog);
        EngineConnection connection = new EngineConnection(EngineEndpoint.unix(socket), ui, Duration.ofMillis(200));
        cleanup.add(connection);
        EngineStatusModel[] model = new EngineStatusModel[1];
        robot.interact(() -> model[0] = new EngineStatusModel(ui, connection.stateProperty(), connection.lastErrorProperty(),
                new EngineTarget(EngineEndpoint.unix(socket), true, dataRoot), launcher, SocketProbe.real()));
        cleanup.add(() -> robot.interact(() -> {
            if (model[0].startedEngineAlive()) {
                model[0].stop();
            }
        }));
        DesktopTrayActions actions = actions(robot, new AppServices(ui, connection, catalog, model[0]));
        AtomicInteger exits = new AtomicInteger();
        actions.exitWith(exits::incrementAndGet);
        robot.interact(model[0]::startIfNeeded);
        connection.start();
        waitFor("the engine started by the app", 60, () -> connection.state() == EngineConnection.State.CONNECTED);
        long pid = model[0].startedPid().orElseThrow();
        cleanup.add(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));

        actions.quit();
        waitFor("the question", 10, () -> robot.lookup("Stop engine and quit").tryQuery().isPresent());
        clickWhenShown(robot, "Cancel");
        WaitForAsyncUtils.waitForFxEvents();
        assertEquals(0, exits.get(), "cancel does not quit");
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));

        actions.quit();
        waitFor("the question", 10, () -> robot.lookup("Quit, keep the engine running").tryQuery().isPresent());
        clickWhenShown(robot, "Quit, keep the engine running");
        waitFor("quit", 10, () -> exits.get() == 1);
        assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the engine keeps running");

        actions.quit();
        waitFor("the question", 10, () -> robot.lookup("Stop engine and quit").tryQuery().isPresent());
        clickWhenShown(robot, "Stop engine and quit");
        waitFor("quit", 10, () -> exits.get() == 2);
        waitFor("the engine stopped", 30, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
    }

    /** The texts shown in {@code root} (labels, and the status bar's text through its skin's label). */
    private static List<String> shownTexts(javafx.scene.Node root) {
        List<String> out = new ArrayList<>();
        if (root instanceof javafx.scene.control.Labeled l && l.getText() != null && !l.getText().isEmpty()) {
            out.add(l.getText());
        }
        if (root instanceof javafx.scene.text.Text t && t.getText() != null && !t.getText().isEmpty()
                && !(t.getParent() instanceof javafx.scene.control.Labeled) && !(t.getParent() != null
                && t.getParent().getParent() instanceof javafx.scene.control.Labeled)) {
            out.add(t.getText());
        }
        if (root instanceof javafx.scene.Parent p) {
            p.getChildrenUnmodifiable().forEach(n -> out.addAll(shownTexts(n)));
        }
        return out;
    }

    @Test
    void withoutATrayTheAppSaysSoOnce(FxRobot robot) throws Exception {
        assertFalse(java.awt.SystemTray.isSupported(), "Xvfb has no system tray");
        DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("c.db"));
        cleanup.add(catalog);
        EngineConnection connection = new EngineConnection(EngineEndpoint.unix(engine.daemon().socket()), ui, Duration.ofMillis(200));
        cleanup.add(connection);
        AppServices services = new AppServices(ui, connection, catalog);
        MainWindow[] main = new MainWindow[1];
        robot.interact(() -> {
            main[0] = new MainWindow(services, Views.all());
            stage.setScene(new Scene(main[0], 1000, 700));
            stage.show();
        });
        AtomicInteger connects = new AtomicInteger();
        connection.onConnected(connects::incrementAndGet);
        PrintStream err = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        List<String> said;
        try {
            // as the app does at start (BerthApp), with a shorter wait before the tray is tried
            robot.interact(() -> assertTrue(DeferredTray.install(services, stage, main[0], javafx.util.Duration.millis(100), Tray::install)));
            connection.start();
            waitFor("said in the window", 15, () -> WaitForAsyncUtils.asyncFx(() -> shownTexts(stage.getScene().getRoot()).stream()
                    .anyMatch(t -> t.contains("No system tray"))).get(5, TimeUnit.SECONDS));

            // a reconnect (the connection switched to the same engine: connecting, then connected again)
            // and a second tray set-up for this window say nothing more
            waitFor("connected", 15, () -> connects.get() >= 1);
            robot.interact(() -> connection.switchTo(EngineEndpoint.unix(engine.daemon().socket()), null));
            waitFor("reconnected", 15, () -> connects.get() >= 2);
            robot.interact(() -> assertFalse(DeferredTray.install(services, stage, main[0], javafx.util.Duration.millis(100), Tray::install),
                    "one tray set-up per window"));
            WaitForAsyncUtils.waitForFxEvents();
            said = WaitForAsyncUtils.asyncFx(() -> shownTexts(stage.getScene().getRoot()).stream()
                    .filter(t -> t.contains("No system tray")).toList()).get(5, TimeUnit.SECONDS);
        } finally {
            System.setErr(err);
        }
        assertEquals(1, said.size(), "said once in the window: " + said);
        assertEquals(DeferredTray.NO_TRAY, said.get(0));
        assertTrue(said.get(0).contains("closing it quits the app"), said.get(0));

        // and once on stderr, for a terminal's user
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().filter(l -> l.startsWith("berth-desktop:")
                && l.contains("system tray")).toList();
        assertEquals(1, lines.size(), lines.toString());
        assertTrue(lines.get(0).contains("no system tray") && lines.get(0).contains("closing the window quits the app"), lines.get(0));
    }
}
