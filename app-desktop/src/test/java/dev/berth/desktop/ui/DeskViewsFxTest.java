package dev.berth.desktop.ui;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.containers.ContainerDetailPane;
import dev.berth.desktop.containers.ContainerRow;
import dev.berth.desktop.DeskWindow;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.nav.Views;
import dev.berth.engine.client.model.ImageSummary;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.Json;
import dev.berth.images.testing.TestImages;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Labeled;
import javafx.scene.control.ListView;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.berth.desktop.FxWait.waitFor;
import static dev.berth.desktop.FxWait.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The main window's views against a real daemon, driven by clicks and keys: empty states, keyboard
 * shortcuts, notifications (a pull finished, a non-zero exit, the engine stopped), the activity filter,
 * the dashboard's figures, the run dialog's fields, images' used-by / run / removal explained, and
 * volumes' and networks' create and inspect.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeskViewsFxTest {
    @TempDir
    static Path dir;
    static BusyboxOnBerth engine;
    static final List<String> notes = new CopyOnWriteArrayList<>();
    DeskWindow desk;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), Files.createDirectories(dir.resolve("docker")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.docker("network", "rm", "desk5-net");
            engine.docker("volume", "rm", "-f", "desk5-vol", "desk5-data");
            engine.close();
        }
        Processes.run(java.util.Map.of(), null, 10, "ip", "link", "del", "br97");
    }

    @Start
    void show(Stage stage) {
        desk = DeskWindow.show(stage, engine.daemon().socket(), dir.resolve("d.db"), Views.all(), 1280, 820);
        Notifier.install(desk.services(), (title, text) -> notes.add(title + ": " + text));
        Notifier.install(desk.services(), stage);
        desk.recordCatalogUseOnFxThread(fxThreadUses);
        desk.connection().start();
    }

    /** Catalog uses on the FX thread (each the caller's frame): the catalog can make a reader wait seconds. */
    private final List<String> fxThreadUses = new java.util.concurrent.CopyOnWriteArrayList<>();

    @AfterEach
    void close(FxRobot robot) {
        desk.close(robot);
    }

    private void connected() throws Exception {
        waitFor("connected", 15, () -> desk.connection().state() == EngineConnection.State.CONNECTED);
    }

    /** The texts of the labels inside {@code root}. */
    private static List<String> texts(Node root) {
        List<String> out = new ArrayList<>();
        if (root instanceof Labeled l && l.getText() != null) {
            out.add(l.getText());
        }
        if (root instanceof Parent p) {
            p.getChildrenUnmodifiable().forEach(c -> out.addAll(texts(c)));
        }
        return out;
    }

    /** Whether an empty-state box reading {@code title} is showing in the window. */
    private boolean emptyStateShown(String title) throws Exception {
        return fx(() -> desk.window().lookupAll(".berth-empty-state").stream()
                .anyMatch(n -> n.isVisible() && n.getScene() != null && texts(n).contains(title)));
    }

    @Test
    @Order(1)
    void everyEmptyListSaysWhatToDoNext(FxRobot robot) throws Exception {
        connected();
        engine.docker("rmi", engine.ref()).assertOk();
        String[][] expected = {
                {"containers", "No containers", "Run one with"},
                {"images", "No images", "Pull one"},
                {"volumes", "No volumes", "Create one above"},
                {"activity", "No activity yet", "Engine events"},
        };
        for (String[] e : expected) {
            robot.clickOn("#nav-" + e[0]);
            waitFor(e[0] + "'s empty state", 15, () -> emptyStateShown(e[1]));
            List<String> shown = fx(() -> desk.window().lookupAll(".berth-empty-state").stream().filter(Node::isVisible)
                    .flatMap(n -> texts(n).stream()).toList());
            assertTrue(shown.stream().anyMatch(t -> t.startsWith(e[2])), e[0] + " says what to do: " + shown);
        }
        // networks: the engine's own networks are always listed; the text is still set
        robot.clickOn("#nav-networks");
        TableView<?> networks = robot.lookup("#networks-table").queryAs(TableView.class);
        assertTrue(texts(networks.getPlaceholder()).contains("No networks"));
        engine.docker("pull", engine.ref()).assertOk();
    }

    @Test
    @Order(2)
    void shortcutsSwitchViewsSearchRunRemoveAndOpen(FxRobot robot) throws Exception {
        connected();
        engine.docker("create", "--network", "none", "--name", "desk5-keys-a", engine.ref(), "true").assertOk();
        engine.docker("create", "--network", "none", "--name", "desk5-keys-b", engine.ref(), "true").assertOk();
        robot.clickOn("#nav-dashboard");
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT2).release(KeyCode.DIGIT2, KeyCode.CONTROL);
        waitFor("the containers view", 5, () -> fx(() -> desk.window().lookup("#view-containers") != null
                && desk.window().lookup("#view-containers").getParent() != null));
        @SuppressWarnings("unchecked")
        TableView<ContainerRow> table = robot.lookup("#containers-table").queryAs(TableView.class);
        waitFor("both containers listed", 15, () -> fx(() -> table.getItems().stream().map(ContainerRow::name).toList()
                .containsAll(List.of("desk5-keys-a", "desk5-keys-b"))));

        // Ctrl+F goes to the filter; typing filters the table
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        TextField filter = robot.lookup("#containers-filter").queryAs(TextField.class);
        waitFor("the filter focused", 5, () -> fx(() -> filter.getScene().getFocusOwner() == filter));
        robot.write("keys-b");
        waitFor("filtered to one", 5, () -> fx(() -> table.getItems().stream().map(ContainerRow::name).toList()
                .equals(List.of("desk5-keys-b"))));

        // Enter on a row opens its detail window; Delete removes the selected container
        robot.interact(() -> {
            table.requestFocus();
            table.getSelectionModel().clearAndSelect(0);
        });
        robot.type(KeyCode.ENTER);
        waitFor("the detail window", 10, () -> fx(() -> Window.getWindows().stream().anyMatch(w -> w instanceof Stage s
                && s.getScene() != null && s.getScene().getRoot() instanceof ContainerDetailPane)));
        robot.interact(() -> new ArrayList<>(Window.getWindows()).stream().filter(w -> w instanceof Stage s && s.getScene() != null
                && s.getScene().getRoot() instanceof ContainerDetailPane).forEach(w -> ((Stage) w).close()));
        robot.interact(() -> {
            table.requestFocus();
            table.getSelectionModel().clearAndSelect(0);
        });
        robot.type(KeyCode.DELETE);
        waitFor("removed in the engine", 15, () -> engine.docker("ps", "-aq", "--filter", "name=desk5-keys-b").stdout().isBlank());
        assertFalse(engine.docker("ps", "-aq", "--filter", "name=desk5-keys-a").stdout().isBlank(), "the other one stays");
        robot.interact(filter::clear);

        // Ctrl+N: "Run a container"
        robot.press(KeyCode.CONTROL, KeyCode.N).release(KeyCode.N, KeyCode.CONTROL);
        waitFor("the run dialog", 10, () -> robot.lookup("#run-image").tryQuery().isPresent());
        robot.type(KeyCode.ESCAPE);
        waitFor("the run dialog closed", 10, () -> robot.lookup("#run-image").tryQuery().isEmpty());

        // Ctrl+8: activity; Ctrl+F there focuses its own filter
        robot.press(KeyCode.CONTROL, KeyCode.DIGIT8).release(KeyCode.DIGIT8, KeyCode.CONTROL);
        waitFor("the activity view", 5, () -> robot.lookup("#activity-filter").tryQuery().isPresent());
        robot.clickOn("#activity-list");
        robot.press(KeyCode.CONTROL, KeyCode.F).release(KeyCode.F, KeyCode.CONTROL);
        TextField activityFilter = robot.lookup("#activity-filter").queryAs(TextField.class);
        // the scene's focus owner (Xvfb has no window manager to hand the window back its OS focus after a dialog)
        waitFor("the activity filter focused", 5, () -> fx(() -> activityFilter.getScene().getFocusOwner() == activityFilter));
        engine.docker("rm", "-f", "desk5-keys-a");
    }

    @Test
    @Order(3)
    void notificationsForAPullANonZeroExitAndTheEngineStoppingAndTheActivityFilter(FxRobot robot) throws Exception {
        connected();
        robot.clickOn("#nav-activity");
        String other = engine.registry().push(TestImages.busybox(TestImages.Options.defaults().withHello("desk5 other")), "desk5/other:1");
        engine.docker("pull", other).assertOk();
        waitFor("pull finished", 15, () -> notes.stream().anyMatch(n -> n.startsWith("Pull finished: ") && n.contains("desk5/other")));

        engine.docker("run", "--network", "none", "--name", "desk5-ok", engine.ref(), "true").assertOk();
        engine.docker("run", "--network", "none", "--name", "desk5-fail", engine.ref(), "sh", "-c", "exit 3");
        waitFor("the failure notified", 15, () -> notes.contains("Container failed: desk5-fail exited with code 3"));
        assertTrue(notes.stream().noneMatch(n -> n.contains("desk5-ok")), "a clean exit is not notified: " + notes);
        // and shown on screen, as a ControlsFX notification over the window
        waitFor("the notification on screen", 10, () -> fx(() -> Window.getWindows().stream()
                .filter(w -> w instanceof javafx.stage.PopupWindow && w.isShowing() && w.getScene() != null)
                .anyMatch(w -> texts(w.getScene().getRoot()).stream().anyMatch(t -> t.contains("desk5-fail exited with code 3")))));

        // the activity view: every word of the filter must match
        @SuppressWarnings("unchecked")
        ListView<String> list = robot.lookup("#activity-list").queryAs(ListView.class);
        waitFor("the die events listed", 10, () -> fx(() -> list.getItems().stream().filter(l -> l.contains(" die ")).count() >= 2));
        robot.clickOn("#activity-filter").write("die desk5-fail");
        waitFor("filtered", 5, () -> fx(() -> list.getItems().size() == 1 && list.getItems().get(0).contains("container die")
                && list.getItems().get(0).endsWith("desk5-fail")));
        robot.interact(() -> robot.lookup("#activity-filter").queryAs(TextField.class).clear());
        waitFor("unfiltered", 5, () -> fx(() -> list.getItems().size() > 2));

        engine.daemon().stop();
        try {
            waitFor("engine stopped", 15, () -> notes.contains("Engine stopped: Berth will reconnect when the engine is back."));
        } finally {
            engine.daemon().restart();
        }
        waitFor("engine back", 20, () -> notes.stream().anyMatch(n -> n.startsWith("Engine back: ")));
        engine.docker("rm", "-f", "desk5-ok", "desk5-fail");
        assertEquals(List.of(), fxThreadUses, "the activity list (read and recorded) and the notifications use the catalog off the FX thread");
    }

    @Test
    @Order(4)
    void theDashboardCountsPausedStoppedImagesVolumesDiskAndRecentActivity(FxRobot robot) throws Exception {
        connected();
        engine.docker("run", "-d", "--network", "none", "--name", "desk5-paused", engine.ref(), "sleep", "300").assertOk();
        engine.docker("pause", "desk5-paused").assertOk();
        engine.docker("volume", "create", "desk5-data").assertOk();
        robot.clickOn("#nav-dashboard");
        try {
            JsonNode info = Json.MAPPER.readTree(engine.docker("info", "--format", "{{json .}}").stdout());
            int volumes = engine.docker("volume", "ls", "-q").stdout().strip().split("\n").length;
            waitFor("the figures (shown: " + fx(() -> List.of(text("#dashboard-running"), text("#dashboard-paused"),
                    text("#dashboard-stopped"), text("#dashboard-images"), text("#dashboard-volumes"), text("#dashboard-disk")))
                    + ", docker info: " + info.path("ContainersRunning") + "/" + info.path("ContainersPaused") + "/"
                    + info.path("ContainersStopped") + "/" + info.path("Images") + "/" + volumes + ")", 15, () -> fx(() -> text("#dashboard-paused").equals("1")
                    && text("#dashboard-running").equals(info.path("ContainersRunning").asText())
                    && text("#dashboard-stopped").equals(info.path("ContainersStopped").asText())
                    && text("#dashboard-images").equals(info.path("Images").asText())
                    && text("#dashboard-volumes").equals(Integer.toString(volumes))));
            waitFor("disk usage", 10, () -> fx(() -> text("#dashboard-disk").matches("Disk: images [0-9.]+ [kMG]?B, containers .*, volumes .*, build cache .*")));
            assertTrue(fx(() -> text("#dashboard-engine")).contains(info.path("ServerVersion").asText()), "the engine's version");
            @SuppressWarnings("unchecked")
            ListView<String> recent = robot.lookup("#dashboard-recent").queryAs(ListView.class);
            waitFor("recent activity", 10, () -> fx(() -> recent.getItems().stream().anyMatch(l -> l.contains("volume create  desk5-data"))));
            assertEquals(List.of(), fxThreadUses, "the dashboard reads the recorded activity off the FX thread");
        } finally {
            engine.docker("rm", "-f", "desk5-paused");
        }
    }

    private void closeInspectWindows(FxRobot robot) {
        robot.interact(() -> new ArrayList<>(Window.getWindows()).stream().filter(w -> w instanceof Stage s && s.getTitle() != null
                && s.getTitle().startsWith("Inspect ")).forEach(w -> ((Stage) w).close()));
        robot.targetWindow(desk.stage());
    }

    private String text3(int i) {
        return ((TextField) desk.window().lookup("#networks-create-" + i)).getText();
    }

    private String text(String id) {
        return ((Labeled) desk.window().lookup(id)).getText();
    }

    @Test
    @Order(5)
    void theRunDialogSendsEnvironmentVolumesNetworkAndRestartPolicy(FxRobot robot) throws Exception {
        connected();
        robot.clickOn("#nav-containers");
        robot.clickOn("#containers-run");
        // The dialog's nodes exist before its window is showing; a click then finds "no visible node".
        waitFor("the run dialog", 10, () -> robot.lookup("#run-image").match((javafx.scene.Node n) -> n.getScene() != null
                && n.getScene().getWindow() != null && n.getScene().getWindow().isShowing()).tryQuery().isPresent());
        robot.clickOn("#run-image").write(engine.ref());
        robot.clickOn("#run-name").write("desk5-run");
        robot.clickOn("#run-command").write("sleep 300");
        robot.clickOn("#run-env").write("DESK5=yes\nNOVALUE");
        robot.clickOn("#run-volumes").write("desk5-data:/data");
        robot.clickOn("#run-network").write("none");
        robot.interact(() -> robot.lookup("#run-restart").queryAs(javafx.scene.control.ComboBox.class).setValue("on-failure"));
        robot.clickOn("OK");
        waitFor("the input refused", 5, () -> fx(() -> ((Labeled) robot.lookup("#run-error").query()).getText()
                .startsWith("Environment \"NOVALUE\"")));
        robot.interact(() -> {
            javafx.scene.control.TextArea a = robot.lookup("#run-env").queryAs(javafx.scene.control.TextArea.class);
            a.clear();
        });
        robot.clickOn("#run-env").write("DESK5=yes");
        robot.clickOn("OK");
        waitFor("created and started", 20, () -> engine.docker("inspect", "-f", "{{.State.Status}}", "desk5-run").stdout().strip()
                .equals("running"));
        JsonNode c = Json.MAPPER.readTree(engine.docker("inspect", "desk5-run").stdout()).get(0);
        try {
            assertTrue(c.path("Config").path("Env").toString().contains("DESK5=yes"), c.path("Config").toString());
            assertEquals("[\"desk5-data:/data\"]", c.path("HostConfig").path("Binds").toString());
            assertEquals("none", c.path("HostConfig").path("NetworkMode").asText());
            assertEquals("on-failure", c.path("HostConfig").path("RestartPolicy").path("Name").asText());
            assertEquals("[\"sleep\",\"300\"]", c.path("Config").path("Cmd").toString());
            assertTrue(c.path("Mounts").toString().contains("desk5-data"), c.path("Mounts").toString());
        } finally {
            engine.docker("rm", "-f", "desk5-run");
        }
    }

    @Test
    @Order(6)
    void imagesShowUsedByRunFromAnImageAndExplainARefusedRemoval(FxRobot robot) throws Exception {
        connected();
        String victim = engine.registry().push(TestImages.busybox(TestImages.Options.defaults().withHello("desk5 victim")), "desk5/victim:1");
        engine.docker("pull", victim).assertOk();
        engine.docker("create", "--network", "none", "--name", "desk5-user", victim, "true").assertOk();
        robot.clickOn("#nav-images");
        @SuppressWarnings("unchecked")
        TableView<ImageSummary> table = robot.lookup("#images-table").queryAs(TableView.class);
        waitFor("used by desk5-user", 15, () -> fx(() -> table.getItems().stream().filter(i -> i.repoTags().contains(victim))
                .anyMatch(i -> String.valueOf(table.getColumns().stream().filter(col -> "images-used-by".equals(col.getId()))
                        .findFirst().orElseThrow().getCellData(i)).equals("desk5-user"))));
        robot.interact(() -> table.getItems().stream().filter(i -> i.repoTags().contains(victim)).findFirst()
                .ifPresent(i -> table.getSelectionModel().select(i)));

        // Run… opens the run dialog on the image
        robot.clickOn("#images-run");
        waitFor("the run dialog", 10, () -> robot.lookup("#run-image").tryQuery().isPresent());
        assertEquals(victim, robot.lookup("#run-image").queryAs(TextField.class).getText());
        robot.clickOn("Cancel");
        waitFor("closed", 10, () -> robot.lookup("#run-image").tryQuery().isEmpty());

        // Remove: refused (a container uses it), the rules said, force offered and used
        robot.interact(() -> table.getItems().stream().filter(i -> i.repoTags().contains(victim)).findFirst()
                .ifPresent(i -> table.getSelectionModel().select(i)));
        robot.clickOn("#images-remove");
        waitFor("the explanation", 15, () -> robot.lookup("#images-remove-rules").tryQuery().isPresent());
        String rules = robot.lookup("#images-remove-rules").queryAs(Labeled.class).getText();
        assertTrue(rules.contains("cannot be removed while a container uses it"), rules);
        robot.clickOn("Remove with force");
        waitFor("removed with force", 15, () -> engine.docker("image", "inspect", victim).exitCode() != 0);
        engine.docker("rm", "-f", "desk5-user");
    }

    @Test
    @Order(7)
    void volumesAndNetworksAreCreatedAndInspectedFromTheirViews(FxRobot robot) throws Exception {
        connected();
        robot.clickOn("#nav-volumes");
        robot.clickOn("#volumes-create-0").write("desk5-vol");
        robot.clickOn("#volumes-create");
        waitFor("the volume made", 15, () -> engine.docker("volume", "inspect", "desk5-vol").exitCode() == 0);
        @SuppressWarnings("unchecked")
        TableView<JsonNode> volumes = robot.lookup("#volumes-table").queryAs(TableView.class);
        waitFor("listed", 10, () -> fx(() -> volumes.getItems().stream().anyMatch(n -> n.path("Name").asText().equals("desk5-vol"))));
        robot.interact(() -> volumes.getItems().stream().filter(n -> n.path("Name").asText().equals("desk5-vol")).findFirst()
                .ifPresent(n -> volumes.getSelectionModel().select(n)));
        robot.clickOn("#volumes-inspect");
        waitFor("the inspect window", 10, () -> fx(() -> Window.getWindows().stream().anyMatch(w -> w instanceof Stage s
                && ("Inspect desk5-vol").equals(s.getTitle()) && s.getScene().getRoot().lookup(".tree-view") != null)));

        // typed text goes to the window TestFX aims at, which the inspect window took: close it
        closeInspectWindows(robot);
        robot.clickOn("#nav-networks");
        String[] typed = {"desk5-net", "10.97.0.0/24", "com.docker.network.bridge.name=br97"};
        for (int i = 0; i < typed.length; i++) {
            robot.clickOn("#networks-create-" + i).write(typed[i]);
        }
        waitFor("the fields filled (they hold " + fx(() -> List.of(text3(0), text3(1), text3(2))) + ")", 5,
                () -> fx(() -> List.of(text3(0), text3(1), text3(2))).equals(List.of(typed)));
        robot.clickOn("#networks-create");
        try {
            waitFor("the network made", 15, () -> engine.docker("network", "inspect", "desk5-net").exitCode() == 0);
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; the view says: " + fx(() -> text("#networks-message")), e);
        }
        assertEquals("10.97.0.0/24", engine.docker("network", "inspect", "-f", "{{(index .IPAM.Config 0).Subnet}}", "desk5-net")
                .stdout().strip());
        @SuppressWarnings("unchecked")
        TableView<JsonNode> networks = robot.lookup("#networks-table").queryAs(TableView.class);
        waitFor("listed", 10, () -> fx(() -> networks.getItems().stream().anyMatch(n -> n.path("Name").asText().equals("desk5-net"))));
        robot.interact(() -> networks.getItems().stream().filter(n -> n.path("Name").asText().equals("desk5-net")).findFirst()
                .ifPresent(n -> networks.getSelectionModel().select(n)));
        robot.clickOn("#networks-inspect");
        waitFor("the inspect window", 10, () -> fx(() -> Window.getWindows().stream().anyMatch(w -> w instanceof Stage s
                && s.getTitle() != null && s.getTitle().startsWith("Inspect ") && s.getScene().getRoot().lookup(".tree-view") != null
                && !"Inspect desk5-vol".equals(s.getTitle()))));
        closeInspectWindows(robot);
        robot.interact(() -> networks.getSelectionModel().select(networks.getItems().stream()
                .filter(n -> n.path("Name").asText().equals("desk5-net")).findFirst().orElseThrow()));
        robot.clickOn("#networks-remove");
        waitFor("the network removed", 15, () -> engine.docker("network", "inspect", "desk5-net").exitCode() != 0);
    }

    @Test
    @Order(8)
    void runningContainersShowACpuAndMemorySparkline(FxRobot robot) throws Exception {
        connected();
        engine.docker("run", "-d", "--network", "none", "--name", "desk5-busy", engine.ref(), "sh", "-c", "while :; do :; done").assertOk();
        try {
            robot.clickOn("#nav-containers");
            // the row's sparkline cell: two or more samples, the newest as "CPU% · memory"
            waitFor("the sparkline", 30, () -> fx(() -> desk.window().lookupAll(".table-row-cell").stream()
                    .filter(n -> n instanceof javafx.scene.control.TableRow<?> r && r.getItem() instanceof ContainerRow c
                            && c.name().equals("desk5-busy"))
                    .flatMap(n -> n.lookupAll(".berth-sparkline").stream())
                    .anyMatch(cell -> texts(cell).stream().anyMatch(t -> {
                        java.util.regex.Matcher m = java.util.regex.Pattern.compile("([0-9.]+)% · [0-9]+\\.[0-9] [kMG]B").matcher(t);
                        return m.matches() && Double.parseDouble(m.group(1)) > 5;
                    }))));
        } finally {
            engine.docker("rm", "-f", "desk5-busy");
        }
    }
}
