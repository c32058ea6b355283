package dev.berth.desktop.containers;

import dev.berth.desktop.DeskWindow;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.nav.ViewSpec;
import dev.berth.desktop.nav.Views;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.TestDaemon;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.control.TableView;
import javafx.scene.image.WritableImage;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import dev.berth.desktop.FxWait;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The containers view against a real daemon with busybox, driven through the UI. */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeskContainersFxTest {
    @TempDir
    static Path dir;
    static BusyboxOnBerth engine;
    static Path dockerConfig;
    DeskWindow desk;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        dockerConfig = Files.createDirectories(dir.resolve("docker"));
        engine = BusyboxOnBerth.start(TestDaemon.start(), dockerConfig);
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    /** Each test's connection ends with it: none is left retrying a daemon that is gone. */
    @AfterEach
    void close(FxRobot robot) {
        desk.close(robot);
    }

    @Start
    void show(Stage stage) {
        desk = DeskWindow.show(stage, engine.daemon().socket(), dir.resolve("d.db"), Views.all(), 1200, 760);
        desk.connection().start();
    }

    @SuppressWarnings("unchecked")
    private TableView<ContainerRow> table(FxRobot robot) {
        return robot.lookup("#containers-table").queryAs(TableView.class);
    }

    /**
     * Selects the row and presses the toolbar button in one step on the FX thread: an event-driven
     * reload between the two would otherwise clear the selection.
     */
    private void act(FxRobot robot, String name, String button) {
        TableView<ContainerRow> t = table(robot);
        javafx.scene.control.Button b = robot.lookup(button).queryAs(javafx.scene.control.Button.class);
        boolean[] fired = new boolean[1];
        robot.interact(() -> {
            t.getSelectionModel().clearSelection();
            t.getItems().stream().filter(r -> r.name().equals(name)).findFirst().ifPresent(r -> t.getSelectionModel().select(r));
            if (t.getSelectionModel().getSelectedItem() != null && !b.isDisabled()) {
                b.fire();
                fired[0] = true;
            }
        });
        assertTrue(fired[0], button + " pressed on " + name);
    }

    private static void waitFor(Callable<Boolean> c) throws Exception {
        waitFor(10, c);
    }

    private static void waitFor(int seconds, Callable<Boolean> c) throws Exception {
        FxWait.until(seconds, c);
    }

    @Test
    @Order(1)
    void aContainerRunFromTheCliAppearsAndTheUiStopsAndRemovesIt(FxRobot robot) throws Exception {
        robot.clickOn("#nav-containers");
        waitFor(() -> desk.connection().state() == EngineConnection.State.CONNECTED);
        engine.docker("run", "-d", "--network", "none", "--name", "deskfx-one", engine.ref(), "sleep", "300").assertOk();
        long t0 = System.nanoTime();
        waitFor(() -> table(robot).getItems().stream().anyMatch(r -> r.name().equals("deskfx-one") && r.state().equals("running")));
        long appearedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.println("desk: container running in the table " + appearedMs + " ms after docker run returned");

        act(robot, "deskfx-one", "#containers-stop");
        // sleep as PID 1 ignores SIGTERM: the stop ends with the SIGKILL after docker's 10 s grace.
        try {
            waitFor(30, () -> engine.docker("inspect", "-f", "{{.State.Status}}", "deskfx-one").stdout().strip().equals("exited"));
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("not stopped; the view says: " + robot.lookup("#containers-error").queryAs(javafx.scene.control.Label.class).getText(), e);
        }
        waitFor(() -> table(robot).getItems().stream().anyMatch(r -> r.name().equals("deskfx-one") && r.state().equals("exited")));

        act(robot, "deskfx-one", "#containers-start");
        waitFor(() -> engine.docker("inspect", "-f", "{{.State.Status}}", "deskfx-one").stdout().strip().equals("running"));

        act(robot, "deskfx-one", "#containers-remove");
        waitFor(() -> engine.docker("ps", "-aq", "--filter", "name=deskfx-one").stdout().isBlank());
        waitFor(() -> table(robot).getItems().stream().noneMatch(r -> r.name().equals("deskfx-one")));
        // Something to show in the screenshots.
        engine.docker("run", "-d", "--network", "none", "--name", "deskfx-web", "--label", "com.docker.compose.project=deskshop",
                engine.ref(), "sleep", "300").assertOk();
        engine.docker("create", "--network", "none", "--name", "deskfx-db", "--label", "com.docker.compose.project=deskshop",
                engine.ref(), "true").assertOk();
        // By name, not by row count: the compose project adds a group header row.
        waitFor(() -> table(robot).getItems().stream().map(r -> r.name()).toList().containsAll(List.of("deskfx-web", "deskfx-db")));
        // The engine's answer is what the next start shows before the engine answers again.
        assertTrue(robot.lookup("#view-containers").queryAs(ContainersView.class).viewModel().liveProperty().get());
        waitFor(() -> desk.catalog().lastKnown(ContainersViewModel.LAST_KNOWN).map(j -> j.contains("/deskfx-db")).orElse(false));
    }

    @Test
    @Order(2)
    void aPullShowsProgressAndEndsInTheImagesList(FxRobot robot) throws Exception {
        String ref = engine.registry().push(dev.berth.images.testing.TestImages.busybox(), "desk/pulled:1.0");
        robot.clickOn("#nav-images");
        robot.clickOn("#images-pull-ref").write(ref);
        robot.clickOn("#images-pull");
        waitFor(() -> robot.lookup("#pull-status").tryQuery().isPresent());
        waitFor(30, () -> robot.lookup("#images-table").queryAs(TableView.class).getItems().stream()
                .anyMatch(i -> ((dev.berth.engine.client.model.ImageSummary) i).repoTags().contains(ref)));
        javafx.scene.control.ListView<?> layers = robot.lookup("#pull-layers").queryAs(javafx.scene.control.ListView.class);
        // The image can reach the table through /events before the last progress pulse reaches the list.
        waitFor(() -> !layers.getItems().isEmpty());
        assertTrue(!layers.getItems().isEmpty(), "per-layer progress was shown");
        javafx.scene.control.Label status = robot.lookup("#pull-status").queryAs(javafx.scene.control.Label.class);
        waitFor(() -> status.getText().startsWith("Pulled"));
        robot.interact(() -> status.getScene().getWindow().hide());
    }

    @Test
    @Order(3)
    void savesAScreenshotOfEveryView(FxRobot robot) throws Exception {
        Path out = screenshots();
        for (ViewSpec v : Views.all()) {
            robot.interact(() -> desk.window().show(v.id()));
            WaitForAsyncUtils.waitForFxEvents();
            Thread.sleep(300);
            WaitForAsyncUtils.waitForFxEvents();
            WritableImage[] img = new WritableImage[1];
            robot.interact(() -> img[0] = desk.window().getScene().snapshot(null));
            Path png = out.resolve(v.id() + ".png");
            ImageIO.write(SwingFXUtils.fromFXImage(img[0], null), "png", png.toFile());
            assertTrue(Files.size(png) > 1000, png + " has content");
        }
    }

    @Test
    @Order(4)
    void volumesAndNetworksSayWhichContainersUseThem(FxRobot robot) throws Exception {
        engine.docker("volume", "create", "desk4-data").assertOk();
        engine.docker("network", "create", "--subnet", "10.90.1.0/24", "-o", "com.docker.network.bridge.name=br90a", "desk4-net").assertOk();
        try {
            engine.docker("create", "--name", "desk4-user", "-v", "desk4-data:/data", "--network", "desk4-net", engine.ref(), "true").assertOk();
            waitFor(() -> desk.connection().state() == EngineConnection.State.CONNECTED);
            waitFor(() -> usedBy("volumes", "Name", "desk4-data").equals("desk4-user"));
            waitFor(() -> usedBy("networks", "Name", "desk4-net").equals("desk4-user"));

            // the container goes: its container event reloads the lists
            engine.docker("rm", "desk4-user").assertOk();
            waitFor(() -> usedBy("volumes", "Name", "desk4-data").isEmpty());
            waitFor(() -> usedBy("networks", "Name", "desk4-net").isEmpty());
        } finally {
            engine.docker("rm", "-f", "desk4-user");
            engine.docker("network", "rm", "desk4-net");
            engine.docker("volume", "rm", "desk4-data");
        }
    }

    /** The "Used by" cell of the row whose {@code field} is {@code value} in a view (shown for it); "(no row)" while there is none. */
    @SuppressWarnings("unchecked")
    private String usedBy(String view, String field, String value) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            desk.window().show(view);
            TableView<com.fasterxml.jackson.databind.JsonNode> t = (TableView<com.fasterxml.jackson.databind.JsonNode>) desk.window().lookup("#" + view + "-table");
            javafx.scene.control.TableColumn<com.fasterxml.jackson.databind.JsonNode, ?> col = t.getColumns().stream()
                    .filter(c -> (view + "-used-by").equals(c.getId())).findFirst().orElseThrow();
            return t.getItems().stream().filter(n -> n.path(field).asText().equals(value)).findFirst()
                    .map(n -> String.valueOf(col.getCellData(n))).orElse("(no row)");
        }).get(5, TimeUnit.SECONDS);
    }

    @Test
    @Order(5)
    void theTraysOpenLogsShowsTheContainersLogsTab(FxRobot robot) throws Exception {
        engine.docker("run", "-d", "--network", "none", "--name", "desk4-talker", engine.ref(), "sh", "-c",
                "echo desk4-hello-from-logs; sleep 300").assertOk();
        String id = engine.docker("inspect", "-f", "{{.Id}}", "desk4-talker").stdout().strip();
        try {
            dev.berth.desktop.DesktopTrayActions actions = new dev.berth.desktop.DesktopTrayActions(
                    desk.services(), desk.stage(), desk.window());
            // Opening the window once took over five seconds: its Stats tab read the catalog on the FX thread,
            // where a read can wait behind a writer for SQLite's busy timeout. No catalog use may happen there.
            List<String> fxCatalogUse = new java.util.concurrent.CopyOnWriteArrayList<>();
            desk.catalog().watchAccess(t -> {
                if (javafx.application.Platform.isFxApplicationThread()) {
                    fxCatalogUse.add(java.util.Arrays.toString(new Throwable().getStackTrace()));
                }
            });
            long asked = System.nanoTime();
            actions.openLogs(id, "desk4-talker");
            waitFor(30, () -> detailWindows(id).size() == 1);
            System.out.printf("desk: the tray's open logs showed the window after %d ms%n", (System.nanoTime() - asked) / 1_000_000);
            javafx.scene.control.ListView<?> logs = WaitForAsyncUtils.asyncFx(() -> (javafx.scene.control.ListView<?>)
                    windowsOf(id).get(0).getScene().lookup("#logs-list")).get(20, TimeUnit.SECONDS);
            waitFor(30, () -> WaitForAsyncUtils.asyncFx(() -> logs.getItems().stream()
                    .anyMatch(l -> l.toString().contains("desk4-hello-from-logs"))).get(20, TimeUnit.SECONDS));
            assertEquals("Logs", WaitForAsyncUtils.asyncFx(() -> ((ContainerDetailPane) windowsOf(id).get(0).getScene().getRoot())
                    .tabs().getSelectionModel().getSelectedItem().getText()).get(20, TimeUnit.SECONDS));

            // asked again (after another tab was chosen): the same window, back on its logs
            robot.interact(() -> ((ContainerDetailPane) windowsOf(id).get(0).getScene().getRoot()).select("Inspect"));
            actions.openLogs(id, "desk4-talker");
            waitFor(30, () -> "Logs".equals(WaitForAsyncUtils.asyncFx(() -> ((ContainerDetailPane) windowsOf(id).get(0).getScene()
                    .getRoot()).tabs().getSelectionModel().getSelectedItem().getText()).get(20, TimeUnit.SECONDS)));
            assertEquals(1, detailWindows(id).size());
            assertTrue(fxCatalogUse.isEmpty(), "the catalog was used on the FX thread at:\n" + String.join("\n", fxCatalogUse));
        } finally {
            desk.catalog().watchAccess(null);
            robot.interact(() -> windowsOf(id).forEach(Stage::close));
            engine.docker("rm", "-f", "desk4-talker");
        }
    }

    /** The detail windows showing container {@code id}, read on the FX thread. */
    private static List<Stage> detailWindows(String id) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> windowsOf(id)).get(20, TimeUnit.SECONDS);
    }

    /** The same, on the FX thread. */
    private static List<Stage> windowsOf(String id) {
        return javafx.stage.Window.getWindows().stream().filter(w -> w instanceof Stage && w.isShowing())
                .map(w -> (Stage) w).filter(s -> s.getScene() != null && s.getScene().getRoot() instanceof ContainerDetailPane p
                        && id.equals(p.containerId())).toList();
    }

    /** docs/screenshots/ of the repository (the test runs in app-desktop/). */
    static Path screenshots() throws Exception {
        Path base = Path.of("").toAbsolutePath();
        Path repo = Files.exists(base.resolve("docs")) ? base : base.getParent();
        return Files.createDirectories(repo.resolve("docs/screenshots"));
    }
}
