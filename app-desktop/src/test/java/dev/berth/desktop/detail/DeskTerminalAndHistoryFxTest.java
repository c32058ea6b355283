package dev.berth.desktop.detail;

import dev.berth.desktop.containers.ContainerDetailPane;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.detail.stats.StatsView;
import dev.berth.desktop.detail.terminal.TerminalScreen;
import dev.berth.desktop.detail.terminal.TerminalView;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.TestDaemon;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.Tab;
import javafx.scene.input.KeyCode;
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
import org.testfx.util.WaitForAsyncUtils;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The terminal running full-screen programs (busybox {@code top} and {@code vi}) and passing a resize to
 * the process, and the stats history surviving a restart of the app, against a real daemon. Opening a
 * container's detail window must not touch the catalog on the FX thread.
 */
@ExtendWith(ApplicationExtension.class)
class DeskTerminalAndHistoryFxTest {
    static final String NAME = "desk5-term";
    @TempDir
    static Path dir;
    static BusyboxOnBerth engine;
    static String id;
    FxUiExecutor ui;
    EngineConnection connection;
    DesktopCatalog catalog;
    Stage stage;
    final List<Throwable> fxCatalogAccess = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), dir.resolve("cfg"));
        engine.docker("run", "-d", "--network", "none", "--name", NAME, engine.ref(), "sleep", "600").assertOk();
        id = engine.docker("inspect", "-f", "{{.Id}}", NAME).stdout().strip();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.docker("rm", "-f", NAME);
            engine.close();
        }
    }

    @Start
    void show(Stage stage) {
        this.stage = stage;
        ui = new FxUiExecutor();
        connection = new EngineConnection(EngineEndpoint.unix(engine.daemon().socket()), ui, Duration.ofMillis(200));
        catalog = open();
        stage.setScene(new Scene(new javafx.scene.layout.Pane(), 820, 460));
        stage.show();
    }

    private DesktopCatalog open() {
        DesktopCatalog c = DesktopCatalog.open(dir.resolve("desk.db"));
        c.watchAccess(t -> {
            if (Platform.isFxApplicationThread()) {
                fxCatalogAccess.add(new Throwable("catalog used on the FX thread"));
            }
        });
        return c;
    }

    @AfterEach
    void close(FxRobot robot) {
        robot.interact(() -> javafx.stage.Window.getWindows().stream().filter(w -> w != stage && w instanceof Stage).toList()
                .forEach(w -> ((Stage) w).close()));
        connection.close();
        ui.close();
        catalog.close();
    }

    private static void waitFor(int seconds, Callable<Boolean> c) throws Exception {
        FxWait.until(seconds, c);
    }

    /** Types a command line into the terminal as keys. */
    private static void command(FxRobot robot, TerminalView view, String line) {
        robot.clickOn(view);
        robot.write(line);
        robot.type(KeyCode.ENTER);
    }

    /** The visible rows (not the scrollback), one string each. */
    private static List<String> rows(TerminalScreen s) {
        synchronized (s) {
            return IntStream.range(0, s.rows()).mapToObj(s::rowText).toList();
        }
    }

    /** Waits until a visible row is {@code expected}, saying what the screen showed when it is not. */
    private static void waitForRow(TerminalView view, int seconds, String expected) throws Exception {
        try {
            waitFor(seconds, () -> rows(view.screen()).stream().anyMatch(r -> r.strip().equals(expected)));
        } catch (TimeoutException e) {
            throw new AssertionError("no row \"" + expected + "\" on the terminal:\n" + String.join("\n", rows(view.screen())), e);
        }
    }

    /**
     * The size travels to the process in the background (the session spaces its sends), so a shell may
     * still answer the old size once: ask again until the widget's size comes back, within a bound.
     */
    private void sizeReachesTheShell(FxRobot robot, TerminalView view) throws Exception {
        TerminalScreen screen = view.screen();
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (true) {
            command(robot, view, "clear; busybox stty size");
            String expected = screen.rows() + " " + screen.cols();
            long until = System.nanoTime() + 2_000_000_000L;
            while (System.nanoTime() < until) {
                if (rows(screen).stream().anyMatch(r -> r.strip().equals(expected))) {
                    return;
                }
                Thread.sleep(50);
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no row \"" + expected + "\" on the terminal:\n" + view.screenText());
            }
        }
    }

    @Test
    void fullScreenProgramsDrawWithCursorMovementAndAResizeReachesTheProcess(FxRobot robot) throws Exception {
        TerminalView[] holder = new TerminalView[1];
        // a window of its own: the primary stage is shared with later test classes, which expect its size
        Stage[] window = new Stage[1];
        robot.interact(() -> {
            holder[0] = (TerminalView) DetailTabs.terminal(id, new AppServices(ui, connection, catalog)).node();
            window[0] = new Stage();
            window[0].setScene(new Scene(holder[0], 820, 460));
            window[0].show();
        });
        Stage term = window[0];
        TerminalView view = holder[0];
        connection.start();

        // the exec opens in the background: type until the shell answers
        long deadline = System.nanoTime() + 20_000_000_000L;
        boolean ready = false;
        while (!ready && System.nanoTime() < deadline) {
            command(robot, view, "echo desk5''-ready");
            long until = System.nanoTime() + 2_000_000_000L;
            while (!ready && System.nanoTime() < until) {
                ready = rows(view.screen()).stream().anyMatch(r -> r.strip().equals("desk5-ready"));
                Thread.sleep(50);
            }
        }
        assertTrue(ready, "the shell answered:\n" + view.screenText());

        // the process sees the widget's size, before and after the window is resized
        TerminalScreen screen = view.screen();
        sizeReachesTheShell(robot, view);
        int rowsBefore = screen.rows();
        int colsBefore = screen.cols();
        robot.interact(() -> {
            term.setWidth(560);
            term.setHeight(320);
        });
        waitFor(5, () -> screen.cols() < colsBefore && screen.rows() < rowsBefore);
        sizeReachesTheShell(robot, view);

        // top homes the cursor and redraws the whole screen: its header is on the first rows, its own line below
        command(robot, view, "clear; echo filler; busybox top");
        try {
            waitFor(15, () -> {
                List<String> r = rows(screen);
                return r.get(0).startsWith("Mem:") && r.stream().anyMatch(l -> l.contains("PID") && l.contains("COMMAND"))
                        && r.stream().anyMatch(l -> l.contains("busybox top")) && r.stream().noneMatch(l -> l.strip().equals("filler"));
            });
        } catch (TimeoutException e) {
            throw new AssertionError("top's screen:\n" + String.join("\n", rows(screen)), e);
        }
        robot.write("q");
        // top leaves its last screen behind: the shell answering again is what says it quit
        command(robot, view, "clear; echo desk5''-after-top");
        waitForRow(view, 10, "desk5-after-top");

        // vi: an empty file is a column of tildes; typed text lands on the first row; :wq writes it
        command(robot, view, "clear; busybox vi /desk5-vi.txt");
        try {
            waitFor(10, () -> rows(screen).stream().filter(l -> l.strip().equals("~")).count() >= screen.rows() - 3);
        } catch (TimeoutException e) {
            throw new AssertionError("vi's screen:\n" + String.join("\n", rows(screen)), e);
        }
        robot.write("i");
        robot.write("hello from vi");
        waitFor(10, () -> rows(screen).get(0).strip().equals("hello from vi"));
        // busybox vi shows its mode at the start of the last row: I(nsert), then - (command) once Escape is read.
        // Escape followed at once by more keys reads as the start of an escape sequence: wait for the mode first.
        waitFor(10, () -> rows(screen).getLast().startsWith("I"));
        robot.type(KeyCode.ESCAPE);
        try {
            waitFor(10, () -> rows(screen).getLast().startsWith("-"));
        } catch (TimeoutException e) {
            throw new AssertionError("vi left insert mode:\n" + String.join("\n", rows(screen)), e);
        }
        // typed keys go to the window TestFX last aimed at: aim at the terminal's again
        robot.clickOn(view);
        robot.write(":wq");
        try {
            waitFor(10, () -> rows(screen).getLast().startsWith(":wq"));
        } catch (TimeoutException e) {
            throw new AssertionError("vi's command line:\n" + String.join("\n", rows(screen)), e);
        }
        robot.type(KeyCode.ENTER);
        command(robot, view, "clear; cat /desk5-vi.txt; echo desk5''-end");
        waitForRow(view, 10, "desk5-end");
        List<String> after = rows(screen);
        int end = after.stream().map(String::strip).toList().indexOf("desk5-end");
        assertEquals("hello from vi", after.get(end - 1).strip(), String.join("\n", after));

        // the Files changed tab lists the file vi wrote, as docker diff does
        dev.berth.desktop.detail.diff.DiffView[] diff = new dev.berth.desktop.detail.diff.DiffView[1];
        robot.interact(() -> {
            diff[0] = (dev.berth.desktop.detail.diff.DiffView) new dev.berth.desktop.detail.diff.DiffTab()
                    .create(id, new AppServices(ui, connection, catalog)).node();
            term.getScene().setRoot(diff[0]);
        });
        String docker = engine.docker("diff", NAME).stdout();
        assertTrue(docker.contains("A /desk5-vi.txt"), docker);
        waitFor(10, () -> WaitForAsyncUtils.asyncFx(() -> diff[0].list().getItems().stream()
                .anyMatch(c -> (c.letter() + " " + c.path()).equals("A /desk5-vi.txt"))).get(5, TimeUnit.SECONDS));
        assertTrue(fxCatalogAccess.isEmpty(), "no catalog use on the FX thread");
    }

    @Test
    void statsHistorySurvivesARestartAndOpeningTheDetailWindowLeavesTheCatalogToBackgroundThreads(FxRobot robot)
            throws Exception {
        connection.start();
        waitFor(10, () -> connection.state() == EngineConnection.State.CONNECTED);
        Stage[] detail = new Stage[1];
        robot.interact(() -> detail[0] = ContainerDetailPane.showTab(stage, id, NAME, new AppServices(ui, connection, catalog), "Stats"));
        StatsView first = statsOf(robot, detail[0]);
        waitFor(20, () -> first.plottedPoints() >= 3);
        robot.interact(() -> detail[0].close());
        waitFor(10, () -> catalog.samples(id, 1000).size() >= 3);
        long stored = catalog.samples(id, 1000).get(0).timeMillis();

        // the app restarts: a new catalog on the same file, a new window on the container
        catalog.close();
        catalog = open();
        long reopened = System.currentTimeMillis();
        robot.interact(() -> detail[0] = ContainerDetailPane.showTab(stage, id, NAME, new AppServices(ui, connection, catalog), "Stats"));
        StatsView second = statsOf(robot, detail[0]);
        waitFor(10, () -> WaitForAsyncUtils.asyncFx(() -> !second.viewModel().samples().isEmpty()
                && second.viewModel().samples().get(0).epochMillis() < reopened).get(5, TimeUnit.SECONDS));
        long oldest = WaitForAsyncUtils.asyncFx(() -> second.viewModel().samples().get(0).epochMillis()).get(5, TimeUnit.SECONDS);
        assertEquals(stored, oldest, "the first sample from before the restart is plotted first");
        // the tray's "open logs" path: the same window opened on its logs
        robot.interact(() -> ContainerDetailPane.showTab(stage, id, NAME, new AppServices(ui, connection, catalog), "Logs"));
        WaitForAsyncUtils.waitForFxEvents();
        List<String> where = new ArrayList<>();
        fxCatalogAccess.forEach(t -> where.add(java.util.Arrays.toString(t.getStackTrace())));
        assertTrue(fxCatalogAccess.isEmpty(), "catalog used on the FX thread at:\n" + String.join("\n", where));
    }

    private static StatsView statsOf(FxRobot robot, Stage detail) throws Exception {
        return WaitForAsyncUtils.asyncFx(() -> {
            ContainerDetailPane pane = (ContainerDetailPane) detail.getScene().getRoot();
            Tab t = pane.tabs().getTabs().stream().filter(x -> x.getText().equals("Stats")).findFirst().orElseThrow();
            return (StatsView) t.getContent();
        }).get(10, TimeUnit.SECONDS);
    }
}
