package dev.berth.desktop.engine;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.desktop.containers.ContainerRow;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.nav.Views;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.tray.TrayIcons;
import dev.berth.desktop.ui.MainWindow;
import dev.berth.desktop.ui.Theme;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.MessageStream;
import dev.berth.engine.client.model.JsonMessage;
import dev.berth.engine.testing.ChildDaemon;
import dev.berth.engine.testing.Processes;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.LocalRegistry;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Scene;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import dev.berth.desktop.FxWait;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine behind the app, against real daemons: a crash and restart, and the launcher starting one. */
@ExtendWith(ApplicationExtension.class)
class DeskEngineFxTest {
    @TempDir
    Path dir;
    final List<AutoCloseable> cleanup = new ArrayList<>();
    EngineConnection connection;
    EngineStatusModel model;
    MainWindow window;

    @AfterEach
    void cleanUp() throws Exception {
        if (connection != null) {
            connection.close();
        }
        for (AutoCloseable c : cleanup.reversed()) {
            c.close();
        }
    }

    private void show(FxRobot robot, Path socket, Path dataRoot, Launcher launcher) {
        FxUiExecutor ui = new FxUiExecutor();
        cleanup.add(ui::close);
        connection = new EngineConnection(EngineEndpoint.unix(socket), ui, Duration.ofMillis(200));
        DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"));
        cleanup.add(catalog);
        robot.interact(() -> {
            Theme.LIGHT.apply();
            model = new EngineStatusModel(ui, connection.stateProperty(), connection.lastErrorProperty(),
                    new EngineTarget(EngineEndpoint.unix(socket), true, dataRoot), launcher, SocketProbe.real());
            window = new MainWindow(new AppServices(ui, connection, catalog, model), Views.all());
            Stage stage = new Stage();
            stage.setScene(new Scene(window, 1200, 760));
            stage.show();
            cleanup.add(() -> robot.interact(stage::close));
        });
    }

    private static void waitFor(int seconds, Callable<Boolean> c) throws Exception {
        FxWait.until(seconds, c);
    }

    private String statusText(FxRobot robot) {
        return robot.lookup("#engine-status").queryAs(Label.class).getText();
    }

    private void waitForStatus(FxRobot robot, int seconds, String prefix) throws Exception {
        try {
            waitFor(seconds, () -> statusText(robot).startsWith(prefix));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("expected \"" + prefix + "\", the status bar says: " + statusText(robot), e);
        }
    }

    @Test
    void theEngineKilledAndRestartedShowsStoppedThenTheListsAreLiveAgain(FxRobot robot) throws Exception {
        Processes.requireBinary("docker-registry");
        Path socket = dir.resolve("kill/berth.sock");
        Files.createDirectories(socket.getParent());
        Path dataRoot = dir.resolve("kill-data");
        ChildDaemon[] daemon = {ChildDaemon.start(socket, dataRoot, dir.resolve("child.log"))};
        cleanup.add(() -> daemon[0].close());
        LocalRegistry registry = LocalRegistry.start(LocalRegistry.Mode.OPEN);
        cleanup.add(registry);
        String ref = registry.push(TestImages.busybox(), "deskengine/busybox:1.0");

        show(robot, socket, dataRoot, new DaemonLauncher(List.of("/nonexistent/berth", "daemon"), true));
        connection.start();
        waitForStatus(robot, 10, "Engine: running");
        robot.clickOn("#nav-containers");

        long t0 = System.nanoTime();
        daemon[0].kill(); // SIGKILL: the socket file stays behind, refusing connections
        waitForStatus(robot, 10, "Engine: stopped");
        assertTrue(statusText(robot).contains("not running at " + socket), statusText(robot));
        robot.interact(() -> window.show("dashboard"));
        saveScreenshot(robot, "engine-stopped.png");
        robot.interact(() -> window.show("containers"));

        System.out.println("deskengine: stopped shown " + (System.nanoTime() - t0) / 1_000_000 + " ms after kill -9");
        daemon[0] = ChildDaemon.start(socket, dataRoot, dir.resolve("child.log"));
        long t1 = System.nanoTime();
        waitForStatus(robot, 10, "Engine: running");
        System.out.println("deskengine: running shown " + (System.nanoTime() - t1) / 1_000_000 + " ms after the socket reappeared");
        assertEquals(EngineStatus.RUNNING, model.status());

        // Live again: a container created now reaches the list through the new /events stream.
        try (MessageStream<JsonMessage> pull = connection.client().pullImage(ref, null, null)) {
            while (pull.hasNext()) {
                JsonMessage m = pull.next();
                assertTrue(!m.isError(), m.errorMessage());
            }
        }
        connection.client().containers().create("deskengine-after", null,
                new ObjectMapper().readTree("{\"Image\":\"" + ref + "\",\"Cmd\":[\"true\"]}"));
        @SuppressWarnings("unchecked")
        TableView<ContainerRow> table = robot.lookup("#containers-table").queryAs(TableView.class);
        long t2 = System.nanoTime();
        waitFor(10, () -> table.getItems().stream().anyMatch(r -> r.name().equals("deskengine-after")));
        System.out.println("deskengine: container in the list " + (System.nanoTime() - t2) / 1_000_000 + " ms after create");
    }

    @Test
    void theLauncherStartsADetachedDaemonWhenNoneRunsAndStopsIt(FxRobot robot) throws Exception {
        Path socket = dir.resolve("launch/berth.sock");
        Path dataRoot = dir.resolve("launch-data");
        String java = System.getenv().getOrDefault("BERTH_TEST_JAVA", ProcessHandle.current().info().command().orElse("java"));
        DaemonLauncher launcher = new DaemonLauncher(List.of(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), FakeBerthCli.class.getName(), "daemon"), true);
        show(robot, socket, dataRoot, launcher);
        cleanup.add(() -> robot.interact(() -> {
            if (model.startedEngineAlive()) {
                model.stop();
            }
        }));
        robot.interact(model::startIfNeeded);
        connection.start();
        waitFor(5, () -> model.startedEngineAlive());
        assertTrue(model.status() == EngineStatus.STARTING || model.status() == EngineStatus.RUNNING, model.status().label());
        long pid = model.startedPid().orElseThrow();
        cleanup.add(() -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
        try {
            waitForStatus(robot, 30, "Engine: running");
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; engine log: " + LogTail.lastLines(dataRoot.resolve(DaemonLauncher.LOG_NAME), 20), e);
        }
        assertTrue(statusText(robot).contains("started by Berth Desktop"), statusText(robot));
        assertTrue(Files.readString(Path.of("/proc/" + pid + "/cmdline")).contains(FakeBerthCli.class.getName()),
                "the pid the app holds is the daemon's own, not a wrapper's");

        // Detached: the daemon leads its own session, so a closing terminal or window does not take it along.
        String[] stat = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceFirst("^.*\\) ", "").split(" ");
        assertEquals(Long.toString(pid), stat[3], "session id of the daemon is its own pid");
        Path log = dataRoot.resolve(DaemonLauncher.LOG_NAME);
        assertTrue(Files.readString(log).contains("berth-desktop: starting setsid"), "the log records the command");

        robot.clickOn("#nav-dashboard");
        waitFor(5, () -> !robot.lookup("#dashboard-engine-start").queryButton().isVisible()
                || robot.lookup("#dashboard-engine-start").queryButton().isDisabled());
        saveScreenshot(robot, "engine-dashboard.png");
        saveTrayIcons();

        robot.clickOn("#status-engine-stop");
        waitFor(15, () -> ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true));
        waitForStatus(robot, 10, "Engine: stopped");
        assertTrue(!Files.exists(socket) || !connects(socket), "the socket no longer answers");
    }

    private static boolean connects(Path socket) {
        return SocketProbe.real().probe(EngineEndpoint.unix(socket)).reach() == SocketProbe.Reach.ANSWERS;
    }

    private void saveScreenshot(FxRobot robot, String name) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage[] img = new WritableImage[1];
        robot.interact(() -> img[0] = window.getScene().snapshot(null));
        Path png = screenshots().resolve(name);
        ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png", png.toFile());
        assertTrue(Files.size(png) > 1000, png + " has content");
    }

    /** The tray icon in its four states, side by side. */
    private static void saveTrayIcons() throws Exception {
        EngineStatus[] all = EngineStatus.values();
        BufferedImage strip = new BufferedImage(all.length * 72, 72, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = strip.createGraphics();
        for (int i = 0; i < all.length; i++) {
            g.drawImage(TrayIcons.icon(all[i], 64), i * 72 + 4, 4, null);
        }
        g.dispose();
        ImageIO.write(strip, "png", screenshots().resolve("tray-icons.png").toFile());
    }

    static Path screenshots() throws Exception {
        Path base = Path.of("").toAbsolutePath();
        Path repo = Files.exists(base.resolve("docs")) ? base : base.getParent();
        return Files.createDirectories(repo.resolve("docs/screenshots"));
    }
}
