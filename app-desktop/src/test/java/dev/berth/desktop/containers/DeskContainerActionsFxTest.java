package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.DeskWindow;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.nav.ViewSpec;
import dev.berth.desktop.nav.Views;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.Json;
import dev.berth.images.testing.TestImages;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.Button;
import javafx.scene.control.Hyperlink;
import javafx.scene.control.Label;
import javafx.scene.control.Labeled;
import javafx.scene.control.TableCell;
import javafx.scene.control.TableView;
import javafx.scene.control.TextArea;
import javafx.scene.image.WritableImage;
import javafx.scene.layout.StackPane;
import javafx.scene.paint.Paint;
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
import org.testfx.util.WaitForAsyncUtils;

import javax.imageio.ImageIO;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.berth.desktop.FxWait.waitFor;
import static dev.berth.desktop.FxWait.fx;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The containers view's remaining actions against a real daemon, clicked: restart, pause, resume and kill
 * change the engine's state as docker's would, and the table follows; the state cell's colour; a published
 * port's link opens the browser at the host port; the detail window's raw inspect JSON; screenshots of the
 * run dialog and the image removal dialog.
 */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DeskContainerActionsFxTest {
    static final String BRIDGE = "br75act";
    @TempDir
    static Path dir;
    static BusyboxOnBerth engine;
    /** What the port links asked the browser to open. */
    static final List<String> opened = new CopyOnWriteArrayList<>();
    DeskWindow desk;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), Files.createDirectories(dir.resolve("docker")));
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.docker("rm", "-f", "actions-life", "actions-web", "actions-raw", "actions-user");
            engine.docker("network", "rm", "actions-net");
            engine.close();
        }
        if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
            Processes.run(Map.of(), null, 10, "ip", "link", "del", BRIDGE);
        }
    }

    @Start
    void show(Stage stage) {
        // the app's views, the containers view given a browser that records instead of opening
        List<ViewSpec> views = Views.all().stream().map(v -> !v.id().equals("containers") ? v
                : new ViewSpec(v.id(), v.title(), v.icon(), s -> new ContainersView(s, new ContainersViewModel(s), opened::add)))
                .toList();
        desk = DeskWindow.show(stage, engine.daemon().socket(), dir.resolve("d.db"), views, 1280, 820);
        desk.connection().start();
    }

    @AfterEach
    void close(FxRobot robot) {
        desk.close(robot);
    }

    private void connected(FxRobot robot) throws Exception {
        waitFor("connected", 15, () -> desk.connection().state() == EngineConnection.State.CONNECTED);
        robot.clickOn("#nav-containers");
    }

    @SuppressWarnings("unchecked")
    private TableView<ContainerRow> table(FxRobot robot) {
        return robot.lookup("#containers-table").queryAs(TableView.class);
    }

    private Optional<ContainerRow> row(FxRobot robot, String name) throws Exception {
        TableView<ContainerRow> t = table(robot);
        return fx(() -> t.getItems().stream().filter(r -> r.name().equals(name)).findFirst());
    }

    private JsonNode inspect(String name) {
        return desk.connection().client().containers().inspect(name);
    }

    /**
     * Selects the row and presses the toolbar button in one step on the FX thread (as DeskContainersFxTest
     * does): an event-driven reload between a selection and a click clears the selection and disables the button.
     */
    private void act(FxRobot robot, String name, String button) throws Exception {
        TableView<ContainerRow> t = table(robot);
        Button b = robot.lookup(button).queryAs(Button.class);
        String id = inspect(name).path("Id").asText();
        boolean[] fired = new boolean[1];
        robot.interact(() -> {
            t.getSelectionModel().clearSelection();
            t.getItems().stream().filter(r -> r.id().equals(id)).findFirst().ifPresent(r -> t.getSelectionModel().select(r));
            if (t.getSelectionModel().getSelectedItem() != null && !b.isDisabled()) {
                b.fire();
                fired[0] = true;
            }
        });
        assertTrue(fired[0], button + " pressed with " + name + " selected");
    }

    /**
     * {@code column}'s cell in {@code name}'s row as shown, on the FX thread. Only a visible cell of a visible row:
     * the table keeps spare cells, hidden, that may still hold an older item.
     */
    private TableCell<?, ?> cell(FxRobot robot, String name, String column) throws Exception {
        TableView<ContainerRow> t = table(robot);
        return fx(() -> {
            t.applyCss();
            t.layout();
            return t.lookupAll(".table-cell").stream().map(n -> (TableCell<?, ?>) n)
                    .filter(c -> c.isVisible() && c.getTableColumn() != null && column.equals(c.getTableColumn().getText())
                            && c.getTableRow() != null && c.getTableRow().isVisible() && !c.getTableRow().isEmpty()
                            && c.getTableRow().getItem() instanceof ContainerRow r && r.name().equals(name))
                    .findFirst().orElse(null);
        });
    }

    /** The text fill of {@code column}'s cell in {@code name}'s row, as drawn (after CSS). */
    private Paint cellFill(FxRobot robot, String name, String column) throws Exception {
        TableCell<?, ?> c = cell(robot, name, column);
        return c == null ? null : fx(c::getTextFill);
    }

    /** The theme's colour for a Label with {@code styleClass} (AtlantaFX's success, warning, text-muted). */
    private static Paint themeColour(String styleClass) throws Exception {
        return fx(() -> {
            Label probe = new Label("x");
            probe.getStyleClass().add(styleClass);
            new Scene(new StackPane(probe));
            probe.applyCss();
            return probe.getTextFill();
        });
    }

    private void waitForState(FxRobot robot, String name, String state, String colourClass) throws Exception {
        waitFor(name + " " + state + " in the table", 15, () -> row(robot, name).map(r -> r.state().equals(state)).orElse(false));
        Paint expected = themeColour(colourClass);
        waitFor(name + "'s state drawn in " + colourClass + " (" + expected + ")", 5,
                () -> expected.equals(cellFill(robot, name, "State")));
        assertNotEquals(expected, cellFill(robot, name, "Name"), "the state's colour is not the plain text colour");
        assertEquals("", robot.lookup("#containers-error").queryAs(Labeled.class).getText());
    }

    @Test
    @Order(1)
    void restartPauseResumeAndKillChangeTheEngineAndTheTableFollows(FxRobot robot) throws Exception {
        connected(robot);
        // exits at once on SIGTERM (sleep as PID 1 would sit out the 10 s grace on each stop)
        engine.docker("run", "-d", "--network", "none", "--name", "actions-life", engine.ref(), "sh", "-c",
                "trap 'exit 0' TERM; sleep 300 & wait").assertOk();
        waitForState(robot, "actions-life", "running", "success");
        JsonNode before = inspect("actions-life");

        act(robot, "actions-life", "#containers-restart");
        waitFor("restarted: a new StartedAt", 30, () -> {
            JsonNode s = inspect("actions-life").path("State");
            return s.path("Running").asBoolean() && !s.path("StartedAt").asText().equals(before.path("State").path("StartedAt").asText());
        });
        JsonNode restarted = inspect("actions-life");
        assertNotEquals(before.path("State").path("Pid").asInt(), restarted.path("State").path("Pid").asInt(), "a new process");
        // as docker: RestartCount counts the restart policy's restarts, not the user's
        assertEquals(0, restarted.path("RestartCount").asInt());
        assertEquals(before.path("Id").asText(), restarted.path("Id").asText());
        waitForState(robot, "actions-life", "running", "success");

        act(robot, "actions-life", "#containers-pause");
        waitFor("paused in the engine", 15, () -> inspect("actions-life").path("State").path("Paused").asBoolean());
        assertEquals("paused", inspect("actions-life").path("State").path("Status").asText());
        waitForState(robot, "actions-life", "paused", "warning");

        act(robot, "actions-life", "#containers-unpause");
        waitFor("resumed in the engine", 15, () -> !inspect("actions-life").path("State").path("Paused").asBoolean());
        assertEquals("running", inspect("actions-life").path("State").path("Status").asText());
        waitForState(robot, "actions-life", "running", "success");

        act(robot, "actions-life", "#containers-kill");
        waitFor("killed in the engine", 15, () -> !inspect("actions-life").path("State").path("Running").asBoolean());
        JsonNode killed = inspect("actions-life").path("State");
        assertEquals(137, killed.path("ExitCode").asInt(), "SIGKILL: 128 + 9, as docker");
        assertEquals("exited", killed.path("Status").asText());
        waitForState(robot, "actions-life", "exited", "text-muted");
        String status = row(robot, "actions-life").orElseThrow().status();
        assertTrue(status.startsWith("Exited (137)"), status);
    }

    @Test
    @Order(2)
    void aPortRunFromTheDialogIsALinkThatOpensTheBrowserAtTheHostPort(FxRobot robot) throws Exception {
        connected(robot);
        engine.docker("network", "create", "--subnet", "10.75.61.0/24", "-o", "com.docker.network.bridge.name=" + BRIDGE,
                "actions-net").assertOk();
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        robot.clickOn("#containers-run");
        waitFor("the run dialog", 10, () -> robot.lookup("#run-image").match((Node n) -> n.getScene() != null
                && n.getScene().getWindow() != null && n.getScene().getWindow().isShowing()).tryQuery().isPresent());
        robot.clickOn("#run-image").write(engine.ref());
        robot.clickOn("#run-name").write("actions-web");
        robot.clickOn("#run-command").write("sleep 300");
        robot.clickOn("#run-port").write(port + ":80");
        robot.clickOn("#run-env").write("GREETING=hello");
        robot.clickOn("#run-network").write("actions-net");
        robot.interact(() -> robot.lookup("#run-restart").queryAs(javafx.scene.control.ComboBox.class).setValue("unless-stopped"));
        WaitForAsyncUtils.waitForFxEvents();
        Scene dialog = robot.lookup("#run-image").query().getScene();
        List<String> cut = fx(() -> dialog.getRoot().lookupAll(".label").stream().map(n -> (Label) n)
                .filter(l -> l.getText() != null && !l.getText().isEmpty() && l.getWidth() + 0.5 < l.prefWidth(-1))
                .map(l -> l.getText() + " (" + Math.round(l.getWidth()) + " of " + Math.round(l.prefWidth(-1)) + " px)").toList());
        assertEquals(List.of(), cut, "field names shown whole");
        screenshot(dialog, "run-dialog.png");
        robot.clickOn("OK");

        waitFor("running with the port published", 20, () -> inspect("actions-web").path("State").path("Running").asBoolean());
        JsonNode bound = inspect("actions-web").path("NetworkSettings").path("Ports").path("80/tcp");
        assertEquals(String.valueOf(port), bound.path(0).path("HostPort").asText(), bound.toString());
        waitForState(robot, "actions-web", "running", "success");
        Hyperlink link = fx(() -> table(robot).lookupAll(".hyperlink").stream().map(n -> (Hyperlink) n)
                .filter(h -> h.getText().equals(String.valueOf(port))).findFirst().orElse(null));
        assertTrue(link != null, "a link reading the host port " + port);
        assertTrue(opened.isEmpty());
        robot.clickOn(link);
        waitFor("the browser asked", 5, () -> !opened.isEmpty());
        assertEquals(List.of("http://localhost:" + port), opened);
    }

    @Test
    @Order(3)
    void theDetailWindowsRawJsonIsTheEnginesInspect(FxRobot robot) throws Exception {
        connected(robot);
        engine.docker("run", "-d", "--network", "none", "--name", "actions-raw", "-e", "RAW=1", engine.ref(), "sleep", "300").assertOk();
        waitFor("actions-raw listed", 15, () -> row(robot, "actions-raw").isPresent());
        String id = inspect("actions-raw").path("Id").asText();
        waitFor("actions-raw's row shown", 10, () -> cell(robot, "actions-raw", "Name") != null);
        // the Created column: the engine's creation time, to the second, in local time
        String created = java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(java.time.ZoneId.systemDefault())
                .format(java.time.Instant.parse(inspect("actions-raw").path("Created").asText()));
        // (read from the column: at this window's width it is scrolled out of view, and such cells are not built)
        ContainerRow raw0 = row(robot, "actions-raw").orElseThrow();
        assertEquals(created, fx(() -> table(robot).getColumns().stream().filter(c -> "containers-created".equals(c.getId()))
                .findFirst().orElseThrow().getCellData(raw0)));
        robot.doubleClickOn(cell(robot, "actions-raw", "Name"));
        waitFor("the detail window", 15, () -> fx(() -> detail(id) != null));
        ContainerDetailPane pane = fx(() -> detail(id));
        robot.clickOn("#detail-tab-inspect");
        robot.clickOn("Raw JSON");
        TextArea raw = robot.from(pane).lookup("#inspect-raw").queryAs(TextArea.class);
        waitFor("the raw JSON shown", 15, () -> fx(() -> raw.isVisible() && raw.getScene() != null && !raw.getText().isBlank()));
        String text = fx(raw::getText);
        JsonNode shown = Json.MAPPER.readTree(text);
        assertEquals(id, shown.path("Id").asText());
        assertEquals("/actions-raw", shown.path("Name").asText());
        assertEquals(inspect("actions-raw").path("Config"), shown.path("Config"), "the engine's inspect, not a summary");
    }

    /** The detail pane showing container {@code id}, on the FX thread; null when none is open. */
    private static ContainerDetailPane detail(String id) {
        return Window.getWindows().stream().filter(Window::isShowing).map(Window::getScene)
                .filter(s -> s != null && s.getRoot() instanceof ContainerDetailPane p && p.containerId().equals(id))
                .map(s -> (ContainerDetailPane) s.getRoot()).findFirst().orElse(null);
    }

    @Test
    @Order(4)
    void theImageRemovalDialogExplainsARefusalAndRemovesNothing(FxRobot robot) throws Exception {
        connected(robot);
        String victim = engine.registry().push(TestImages.busybox(TestImages.Options.defaults().withHello("actions victim")),
                "actions/victim:1");
        engine.docker("pull", victim).assertOk();
        engine.docker("create", "--network", "none", "--name", "actions-user", victim, "true").assertOk();
        robot.clickOn("#nav-images");
        @SuppressWarnings("unchecked")
        TableView<dev.berth.engine.client.model.ImageSummary> images = robot.lookup("#images-table").queryAs(TableView.class);
        waitFor("the image listed", 15, () -> fx(() -> images.getItems().stream().anyMatch(i -> i.repoTags().contains(victim))));
        robot.interact(() -> images.getItems().stream().filter(i -> i.repoTags().contains(victim)).findFirst()
                .ifPresent(i -> images.getSelectionModel().select(i)));
        robot.clickOn("#images-remove");
        waitFor("the explanation", 15, () -> robot.lookup("#images-remove-rules").match((Node n) -> n.getScene() != null
                && n.getScene().getWindow() != null && n.getScene().getWindow().isShowing()).tryQuery().isPresent());
        Labeled rules = robot.lookup("#images-remove-rules").queryAs(Labeled.class);
        assertTrue(rules.getText().contains("cannot be removed while a container uses it"), rules.getText());
        screenshot(rules.getScene(), "image-remove-refused.png");
        robot.clickOn("Close");
        waitFor("the dialog closed", 10, () -> robot.lookup("#images-remove-rules").tryQuery().isEmpty());
        assertEquals(0, engine.docker("image", "inspect", victim).exitCode(), "closed without force: the image stays");
        engine.docker("rm", "-f", "actions-user").assertOk();
    }

    private static void screenshot(Scene scene, String file) throws Exception {
        WaitForAsyncUtils.waitForFxEvents();
        WritableImage img = fx(() -> scene.snapshot(null));
        Path png = DeskContainersFxTest.screenshots().resolve(file);
        ImageIO.write(SwingFXUtils.fromFXImage(img, null), "png", png.toFile());
        assertTrue(Files.size(png) > 1000, png + " has content");
    }
}
