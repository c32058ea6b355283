package dev.berth.desktop.detail;

import dev.berth.desktop.containers.ContainerDetailPane;
import dev.berth.desktop.containers.ContainerDetailTabs;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.detail.logs.LogLine;
import dev.berth.desktop.detail.logs.LogStream;
import dev.berth.desktop.detail.logs.LogsView;
import dev.berth.desktop.detail.logs.LogsViewModel;
import dev.berth.desktop.detail.stats.StatsView;
import dev.berth.desktop.detail.terminal.TerminalView;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.TestDaemon;
import javafx.animation.AnimationTimer;
import javafx.embed.swing.SwingFXUtils;
import javafx.scene.Node;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.scene.input.KeyCode;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
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
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** The container detail pane driven through TestFX under Xvfb, against a real Berth daemon. */
@ExtendWith(ApplicationExtension.class)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DetailFxTest {
    static final Path SHOTS = Path.of("..", "docs", "screenshots");
    @TempDir
    static Path dir;
    static BusyboxOnBerth engine;
    static EngineConnection connection;
    static DesktopCatalog catalog;
    ContainerDetailPane pane;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), dir.resolve("cfg"));
        engine.docker("run", "-d", "--name", "detail-fx", engine.ref(), "sh", "-c",
                "i=0; while :; do i=$((i+1)); echo tick$i; echo warn$i >&2; dd if=/dev/zero of=/tmp/f bs=64k count=4 2>/dev/null; sleep 0.3; done")
                .assertOk();
        catalog = DesktopCatalog.open(dir.resolve("desk.db"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (connection != null) {
            connection.close();
        }
        if (catalog != null) {
            catalog.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    @Start
    void show(Stage stage) {
        FxUiExecutor ui = new FxUiExecutor();
        connection = new EngineConnection(EngineEndpoint.unix(engine.daemon().socket()), ui, Duration.ofMillis(200));
        pane = new ContainerDetailPane("detail-fx", new AppServices(ui, connection, catalog), ContainerDetailTabs.all());
        stage.setScene(new Scene(pane, 1000, 650));
        stage.show();
    }

    @org.junit.jupiter.api.AfterEach
    void closePane(FxRobot robot) {
        // ApplicationExtension builds a fresh pane per test: end the old one's streams
        robot.interact(() -> pane.close());
        connection.close();
    }

    private Tab select(FxRobot robot, String title) {
        Tab tab = pane.tabs().getTabs().stream().filter(t -> t.getText().equals(title)).findFirst().orElseThrow();
        robot.interact(() -> pane.tabs().getSelectionModel().select(tab));
        return tab;
    }

    static void shot(FxRobot robot, Node node, String name) throws Exception {
        Files.createDirectories(SHOTS);
        var ref = new java.util.concurrent.atomic.AtomicReference<javafx.scene.image.WritableImage>();
        robot.interact(() -> ref.set(node.getScene().snapshot(null)));
        ImageIO.write(SwingFXUtils.fromFXImage(ref.get(), null), "png", SHOTS.resolve(name).toFile());
    }

    @Test
    @Order(1)
    void logsFollowNewLines(FxRobot robot) throws Exception {
        Tab tab = select(robot, "Logs");
        @SuppressWarnings("unchecked")
        ListView<LogLine> list = (ListView<LogLine>) ((LogsView) tab.getContent()).list();
        long t0 = System.nanoTime();
        FxWait.until(15, () -> list.getItems().stream().anyMatch(l -> l.text().equals("tick2")));
        System.out.printf("logs tab: first lines after %.0f ms%n", (System.nanoTime() - t0) / 1e6);
        int seen = list.getItems().size();
        FxWait.until(10, () -> list.getItems().size() > seen + 2);
        assertTrue(list.getItems().stream().anyMatch(l -> l.stream() == LogStream.STDERR && l.text().startsWith("warn")));
        robot.interact(() -> ((LogsView) tab.getContent()).searchField().setText("tick1"));
        WaitForAsyncUtils.waitForFxEvents();
        shot(robot, list, "container-logs.png");
    }

    @Test
    @Order(2)
    void terminalRunsEcho(FxRobot robot) throws Exception {
        Tab tab = select(robot, "Terminal");
        TerminalView view = (TerminalView) tab.getContent();
        robot.clickOn(view);
        // the session opens in the background; retry typing until the shell answers
        long deadline = System.nanoTime() + 20_000_000_000L;
        boolean ok = false;
        while (!ok && System.nanoTime() < deadline) {
            robot.write("echo fx''-hello");
            robot.type(KeyCode.ENTER);
            long until = System.nanoTime() + 2_000_000_000L;
            while (!ok && System.nanoTime() < until) {
                ok = view.screenText().lines().anyMatch(l -> l.strip().equals("fx-hello"));
                Thread.sleep(50);
            }
        }
        assertTrue(ok, "echo output on the terminal:\n" + view.screenText());
        WaitForAsyncUtils.waitForFxEvents();
        shot(robot, view, "container-terminal.png");
    }

    @Test
    @Order(3)
    void statsShowSamplesAndOtherTabsRender(FxRobot robot) throws Exception {
        Tab tab = select(robot, "Stats");
        StatsView view = (StatsView) tab.getContent();
        FxWait.until(15, () -> view.plottedPoints() >= 3);
        assertTrue(catalog.samples("detail-fx", 10).size() >= 1, "samples stored in the catalog");
        shot(robot, view, "container-stats.png");
        select(robot, "Inspect");
        FxWait.until(10, () -> robot.lookup(".tree-cell").queryAll().stream()
                .anyMatch(c -> String.valueOf(((javafx.scene.control.TreeCell<?>) c).getItem()).startsWith("container")));
        shot(robot, view, "container-inspect.png");
        select(robot, "Processes");
        FxWait.until(10, () -> robot.lookup(".table-row-cell").queryAll().stream()
                .anyMatch(r -> String.valueOf(((javafx.scene.control.TableRow<?>) r).getItem()).contains("sh -c")));
        shot(robot, view, "container-processes.png");
    }

    /** Measured, not asserted (except the memory bound): a producer at 50,000 lines/s into the log view. */
    @Test
    @Order(4)
    void logViewAt50kLinesPerSecond(FxRobot robot) throws Exception {
        LogsViewModel vm = new LogsViewModel(DetailTabs.LOG_LINES);
        Stage[] stage = new Stage[1];
        AtomicLong maxGapNanos = new AtomicLong();
        AtomicLong frames = new AtomicLong();
        AnimationTimer probe = new AnimationTimer() {
            long last;

            @Override
            public void handle(long now) {
                if (last != 0) {
                    maxGapNanos.accumulateAndGet(now - last, Math::max);
                }
                last = now;
                frames.incrementAndGet();
            }
        };
        robot.interact(() -> {
            stage[0] = new Stage();
            stage[0].setScene(new Scene(new LogsView(vm), 900, 600));
            stage[0].show();
            probe.start();
        });
        long seconds = 3;
        long total = 50_000 * seconds;
        long t0 = System.nanoTime();
        for (long i = 0; i < total; i++) {
            vm.batcher().add(new LogLine(i, (i & 7) == 0 ? LogStream.STDERR : LogStream.STDOUT, null,
                    "2024-01-01 line " + i + " some payload text of a typical log line"));
            if (i % 5000 == 4999) {
                long due = t0 + (i + 1) * 1_000_000_000L / 50_000;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                }
            }
        }
        long produceNanos = System.nanoTime() - t0;
        FxWait.until(10, () -> vm.receivedProperty().get() + vm.batcher().dropped() >= total);
        robot.interact(probe::stop);
        System.gc();
        long heap = Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory();
        double fps = frames.get() * 1e9 / (System.nanoTime() - t0);
        String report = String.format("log view 50k lines/s: %d lines in %.2f s, frames %.1f/s, max frame gap %.1f ms, "
                        + "shown %d (cap %d), dropped by view %d, heap after GC %.1f MiB",
                total, produceNanos / 1e9, fps, maxGapNanos.get() / 1e6, vm.lines().size(), vm.capacity(),
                vm.droppedProperty().get() + vm.batcher().dropped(), heap / 1048576.0);
        System.out.println(report);
        Files.createDirectories(SHOTS);
        Files.writeString(dir.resolve("perf.txt"), report);
        assertTrue(vm.lines().size() <= vm.capacity(), report);
        robot.interact(() -> stage[0].close());
    }
}
