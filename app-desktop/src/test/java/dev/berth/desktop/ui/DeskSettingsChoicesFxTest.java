package dev.berth.desktop.ui;

import dev.berth.desktop.DesktopTrayActions;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.engine.DaemonLauncher;
import dev.berth.desktop.engine.EngineStatusModel;
import dev.berth.desktop.engine.EngineTarget;
import dev.berth.desktop.engine.SocketProbe;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.tray.TrayController;
import dev.berth.desktop.tray.TrayMenuModel;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.TestDaemon;
import javafx.application.Platform;
import javafx.geometry.Bounds;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListCell;
import javafx.scene.control.ScrollPane;
import javafx.scene.control.TextField;
import javafx.stage.Stage;
import javafx.stage.Window;
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
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;

import static dev.berth.desktop.FxWait.waitFor;
import static dev.berth.desktop.FxWait.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Settings' notifications switch and tray favourites, clicked, against a real engine: with
 * notifications off a failed container shows no popup, and they stay off after the catalog is
 * reopened; a container ticked in the favourites check list is offered by the tray's menu model while
 * stopped and started from there; one marked "Favourite in tray" in the containers view is offered by
 * the tray and ticked in Settings, and unmarked again. None uses the catalog on the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class DeskSettingsChoicesFxTest {
    @TempDir
    static Path dir;
    static BusyboxOnBerth engine;
    final List<AutoCloseable> cleanup = new ArrayList<>();
    final List<String> fxCatalogUse = new CopyOnWriteArrayList<>();
    final List<String> notes = new CopyOnWriteArrayList<>();
    final List<String> died = new CopyOnWriteArrayList<>();
    final AtomicReference<TrayMenuModel.Snapshot> tray = new AtomicReference<>();
    FxUiExecutor ui;
    EngineConnection connection;
    DesktopCatalog catalog;
    EngineStatusModel status;
    TrayMenuModel trayModel;
    ScrollPane scroll;
    Stage stage;
    AppServices services;

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
        Theme.LIGHT.apply();
        this.stage = stage;
        ui = new FxUiExecutor();
        connection = new EngineConnection(EngineEndpoint.unix(engine.daemon().socket()), ui, Duration.ofMillis(200));
        status = new EngineStatusModel(ui, connection.stateProperty(), connection.lastErrorProperty(),
                new EngineTarget(EngineEndpoint.unix(engine.daemon().socket()), false, dir.resolve("data")),
                DaemonLauncher.fromBerthHome(null, false), SocketProbe.real());
        catalog = openCatalog();
        services = new AppServices(ui, connection, catalog, status);
        scroll = new ScrollPane(new SettingsView(services));
        scroll.setFitToWidth(true);
        stage.setScene(new Scene(scroll, 1100, 700));
        stage.sizeToScene();
        stage.show();
        Notifier.install(services, stage);
        Notifier.install(services, (title, text) -> notes.add(title + ": " + text));
        // after the notifiers: events reach listeners in order, so once this one saw an event they had it too
        connection.onEvent(e -> {
            if ("container".equals(e.type()) && "die".equals(e.action())) {
                died.add(e.actor().attributes().getOrDefault("name", ""));
            }
        });
        trayModel = new TrayMenuModel(new DesktopTrayActions(services, stage, null));
        new TrayController(services, trayModel, (model, snapshot) -> tray.set(snapshot), stage::isShowing);
        connection.start();
    }

    private DesktopCatalog openCatalog() {
        DesktopCatalog c = DesktopCatalog.open(dir.resolve("choices.db"));
        c.watchAccess(t -> {
            if (Platform.isFxApplicationThread()) {
                fxCatalogUse.add(Arrays.stream(new Throwable().getStackTrace()).limit(12).map(String::valueOf)
                        .collect(Collectors.joining("\n  ")));
            }
        });
        cleanup.add(c);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        try {
            waitForWrites();
            assertEquals(List.of(), fxCatalogUse, "catalog use on the FX thread");
        } finally {
            connection.close();
            ui.close();
            for (AutoCloseable c : cleanup.reversed()) {
                c.close();
            }
        }
    }

    /** Every catalog write asked for so far has run, and what it posted to the FX thread has run too. */
    private void waitForWrites() throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        ui.inOrder(done::countDown);
        assertTrue(done.await(10, TimeUnit.SECONDS), "the settings writes finished");
        WaitForAsyncUtils.waitForFxEvents();
    }

    /** Scrolls the settings so {@code node} is on screen, for a click. */
    private void reveal(FxRobot robot, Node node) {
        robot.interact(() -> {
            Node content = scroll.getContent();
            Bounds b = content.sceneToLocal(node.localToScene(node.getBoundsInLocal()));
            double range = content.getBoundsInLocal().getHeight() - scroll.getViewportBounds().getHeight();
            scroll.setVvalue(range <= 0 ? 0 : Math.max(0, Math.min(1, (b.getMinY() - 40) / range)));
        });
        WaitForAsyncUtils.waitForFxEvents();
    }

    private static List<String> texts(Node root) {
        List<String> out = new ArrayList<>();
        if (root instanceof Labeled l && l.getText() != null) {
            out.add(l.getText());
        }
        if (root instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(n -> out.addAll(texts(n)));
        }
        return out;
    }

    /** Whether a ControlsFX notification popup on screen says {@code text}. */
    private static boolean popupSays(String text) throws Exception {
        return fx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof javafx.stage.PopupWindow && w.isShowing() && w.getScene() != null)
                .anyMatch(w -> texts(w.getScene().getRoot()).stream().anyMatch(t -> t.contains(text))));
    }

    private void failingContainer(String name) throws Exception {
        engine.docker("run", "--network", "none", "--name", name, engine.ref(), "sh", "-c", "exit 3");
        waitFor("the die event of " + name, 15, () -> died.contains(name));
        WaitForAsyncUtils.waitForFxEvents();
    }

    @Test
    void notificationsSwitchedOffShowNothingAndStayOffWhenTheCatalogIsReopened(FxRobot robot) throws Exception {
        waitFor("connected", 15, () -> connection.state() == EngineConnection.State.CONNECTED);
        CheckBox box = robot.lookup("#settings-notifications").queryAs(CheckBox.class);
        try {
            // on by default: a failure pops up
            failingContainer("settings-fail1");
            assertTrue(notes.contains("Container failed: settings-fail1 exited with code 3"), notes.toString());
            waitFor("the popup", 10, () -> popupSays("settings-fail1 exited with code 3"));
            assertTrue(box.isSelected());

            reveal(robot, box);
            robot.clickOn(box);
            waitFor("kept in the catalog", 10, () -> catalog.setting(Notifier.ENABLED).equals(Optional.of("false")));
            waitForWrites();
            failingContainer("settings-fail2");
            assertTrue(notes.stream().noneMatch(n -> n.contains("settings-fail2")), notes.toString());
            assertFalse(popupSays("settings-fail2"), "no popup with notifications off");

            // the data root typed in the same view is kept too
            TextField dataRoot = robot.lookup("#settings-engine-data-root").queryAs(TextField.class);
            reveal(robot, dataRoot);
            robot.clickOn(dataRoot).write("/srv/settings-root");
            waitFor("the data root kept", 10, () -> catalog.setting("engine.dataRoot").equals(Optional.of("/srv/settings-root")));

            // the catalog reopened, as at the next start: a new view and notifier read it
            waitForWrites();
            catalog.close();
            DesktopCatalog again = openCatalog();
            List<String> notesAfter = new CopyOnWriteArrayList<>();
            List<String> diedAfter = new CopyOnWriteArrayList<>();
            robot.interact(() -> {
                AppServices services = new AppServices(ui, connection, again, status);
                scroll.setContent(new SettingsView(services));
                Notifier.install(services, (title, text) -> notesAfter.add(title + ": " + text));
                connection.onEvent(e -> { // after this notifier, as above
                    if ("container".equals(e.type()) && "die".equals(e.action())) {
                        diedAfter.add(e.actor().attributes().getOrDefault("name", ""));
                    }
                });
            });
            CheckBox reopened = robot.lookup("#settings-notifications").queryAs(CheckBox.class);
            TextField rootAgain = robot.lookup("#settings-engine-data-root").queryAs(TextField.class);
            waitFor("the switch shown off", 10, () -> fx(() -> !reopened.isSelected()));
            waitFor("the data root shown", 10, () -> fx(() -> rootAgain.getText().equals("/srv/settings-root")));
            waitForWrites();
            failingContainer("settings-fail3");
            waitFor("the die event after the new notifier", 10, () -> diedAfter.contains("settings-fail3"));
            WaitForAsyncUtils.waitForFxEvents();
            assertEquals(List.of(), notesAfter.stream().filter(n -> n.contains("settings-fail3")).toList());
            assertFalse(popupSays("settings-fail3"), "no popup after the reopen");
        } finally {
            engine.docker("rm", "-f", "settings-fail1", "settings-fail2", "settings-fail3");
        }
    }

    private Optional<TrayMenuModel.Item> trayItem(String label) {
        TrayMenuModel.Snapshot s = tray.get();
        return s == null ? Optional.empty() : trayModel.items(s).stream().filter(i -> i.label().equals(label)).findFirst();
    }

    private String state(String name) {
        return engine.docker("inspect", "-f", "{{.State.Status}}", name).stdout().strip();
    }

    @Test
    void aContainerTickedAsFavouriteIsOfferedByTheTrayWhileStoppedAndStartsFromThere(FxRobot robot) throws Exception {
        waitFor("connected", 15, () -> connection.state() == EngineConnection.State.CONNECTED);
        engine.docker("create", "--network", "none", "--name", "settings-fav", engine.ref(), "sleep", "300").assertOk();
        engine.docker("create", "--network", "none", "--name", "settings-other", engine.ref(), "sleep", "300").assertOk();
        try {
            waitFor("the tray lists the containers", 15, () -> tray.get() != null
                    && tray.get().containers().stream().anyMatch(c -> c.name().equals("settings-fav")));
            assertTrue(trayItem("Start a favourite").isEmpty(), "no favourites yet");

            waitFor("the containers in the check list", 15, () -> fx(() -> robot.lookup("#settings-tray-favourites .list-cell")
                    .queryAll().stream().anyMatch(c -> "settings-fav".equals(((ListCell<?>) c).getText()))));
            ListCell<?> row = fx(() -> robot.lookup("#settings-tray-favourites .list-cell").queryAll().stream()
                    .map(c -> (ListCell<?>) c).filter(c -> "settings-fav".equals(c.getText())).findFirst().orElseThrow());
            reveal(robot, row);
            robot.clickOn(fx(() -> row.lookup(".check-box")));
            waitFor("kept in the catalog", 10, () -> catalog.setting(TrayController.FAVOURITES).equals(Optional.of("settings-fav")));

            waitFor("the tray offers it", 10, () -> trayItem("Start a favourite").isPresent());
            TrayMenuModel.Item start = trayItem("Start a favourite").orElseThrow();
            assertEquals(List.of("settings-fav"), start.children().stream().map(TrayMenuModel.Item::label).toList(),
                    "only the ticked one");
            robot.interact(() -> start.children().get(0).action().run());
            waitFor("started in the engine", 30, () -> state("settings-fav").equals("running"));
            waitFor("running, so no longer offered to start", 10, () -> trayItem("Start a favourite").isEmpty()
                    && trayItem("settings-fav").isPresent());
        } finally {
            engine.docker("rm", "-f", "settings-fav", "settings-other");
        }
    }

    private java.util.Set<String> favourites() {
        return TrayController.parseFavourites(catalog.setting(TrayController.FAVOURITES).orElse(""));
    }

    /** Whether Settings' favourites check list shows {@code name} ticked. */
    private boolean tickedInSettings(FxRobot robot, String name) throws Exception {
        return fx(() -> {
            org.controlsfx.control.CheckListView<?> list = robot.lookup("#settings-tray-favourites")
                    .queryAs(org.controlsfx.control.CheckListView.class);
            return list.getCheckModel().getCheckedItems().contains(name);
        });
    }

    /** Right-clicks {@code name}'s row in the containers table and chooses "Favourite in tray". */
    private void favouriteInTray(FxRobot robot, javafx.scene.control.TableView<?> table, String name) throws Exception {
        Node cell = fx(() -> robot.from(table).lookup(".table-cell").queryAll().stream()
                .filter(c -> c instanceof javafx.scene.control.TableCell<?, ?> t && name.equals(t.getText())).findFirst().orElseThrow());
        robot.clickOn(cell).rightClickOn(cell);
        waitFor("the row's menu", 10, () -> fx(() -> robot.lookup("Favourite in tray").tryQuery()
                .filter(n -> n.getScene() != null && n.getScene().getWindow() != null && n.getScene().getWindow().isShowing()).isPresent()));
        robot.clickOn("Favourite in tray");
    }

    @Test
    void aContainerMarkedFavouriteInTheContainersViewIsOfferedByTheTrayAndTickedInSettings(FxRobot robot) throws Exception {
        waitFor("connected", 15, () -> connection.state() == EngineConnection.State.CONNECTED);
        engine.docker("create", "--network", "none", "--name", "settings-star", engine.ref(), "sleep", "300").assertOk();
        engine.docker("create", "--network", "none", "--name", "settings-plain", engine.ref(), "sleep", "300").assertOk();
        robot.interact(() -> {
            Stage s = new Stage();
            s.setScene(new Scene(new dev.berth.desktop.containers.ContainersView(services), 1000, 500));
            s.setX(0);
            s.setY(0);
            s.show();
        });
        try {
            javafx.scene.control.TableView<?> table = robot.lookup("#containers-table").queryAs(javafx.scene.control.TableView.class);
            waitFor("the containers listed", 15, () -> fx(() -> table.getItems().stream().anyMatch(r ->
                    r instanceof dev.berth.desktop.containers.ContainerRow c && c.name().equals("settings-star"))));
            waitFor("the tray lists the containers", 15, () -> tray.get() != null
                    && tray.get().containers().stream().anyMatch(c -> c.name().equals("settings-star")));
            assertTrue(trayItem("Start a favourite").isEmpty(), "no favourites yet");

            favouriteInTray(robot, table, "settings-star");
            // (the catalog outlives each test: another test's favourite may be stored too)
            waitFor("kept in the catalog", 10, () -> favourites().contains("settings-star"));
            assertFalse(favourites().contains("settings-plain"));
            waitFor("the tray offers it", 10, () -> trayItem("Start a favourite").isPresent());
            assertEquals(List.of("settings-star"), trayItem("Start a favourite").orElseThrow().children().stream()
                    .map(TrayMenuModel.Item::label).toList(), "only the marked one");
            waitFor("ticked in Settings' check list too", 10, () -> tickedInSettings(robot, "settings-star"));
            assertFalse(tickedInSettings(robot, "settings-plain"));

            // the row's menu now shows it ticked; choosing it again takes it out of the tray
            favouriteInTray(robot, table, "settings-star");
            waitFor("removed from the catalog", 10, () -> !favourites().contains("settings-star"));
            waitFor("no longer offered", 10, () -> trayItem("Start a favourite").isEmpty());
            waitFor("unticked in Settings", 10, () -> !tickedInSettings(robot, "settings-star"));
        } finally {
            robot.interact(() -> javafx.stage.Window.getWindows().stream().filter(w -> w instanceof Stage st && st != stage)
                    .toList().forEach(javafx.stage.Window::hide));
            engine.docker("rm", "-f", "settings-star", "settings-plain");
        }
    }
}
