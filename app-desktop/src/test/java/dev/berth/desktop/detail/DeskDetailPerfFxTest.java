package dev.berth.desktop.detail;

import dev.berth.desktop.containers.ContainerDetailPane;
import dev.berth.desktop.containers.ContainerDetailTabs;
import dev.berth.desktop.containers.ContainerGroups;
import dev.berth.desktop.containers.ContainerRow;
import dev.berth.desktop.containers.ContainersView;
import javafx.scene.control.TableView;
import java.util.List;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.detail.diff.DiffTab;
import dev.berth.desktop.detail.diff.DiffView;
import dev.berth.desktop.detail.logs.LogLine;
import dev.berth.desktop.detail.logs.LogStream;
import dev.berth.desktop.detail.logs.LogsView;
import dev.berth.engine.client.model.FilesystemChange;
import javafx.scene.control.Label;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.TestDaemon;
import javafx.animation.AnimationTimer;
import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.control.ListView;
import javafx.scene.control.Tab;
import javafx.stage.Stage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import dev.berth.desktop.FxWait;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;
import org.testfx.util.WaitForAsyncUtils;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The logs tab following a busybox container that writes ~50,000 numbered lines a second, against a
 * real daemon. Prints the pulses/s the FX thread managed, the lines/s that reached the view and the
 * heap; asserts what must hold whatever the machine's load: the view stays bounded, keeps up with the
 * newest lines, tells stdout from stderr, and the FX thread answers.
 */
@ExtendWith(ApplicationExtension.class)
class DeskDetailPerfFxTest {
    @TempDir
    static Path dir;
    static BusyboxOnBerth engine;
    static EngineConnection connection;
    static DesktopCatalog catalog;
    ContainerDetailPane pane;
    AppServices services;
    Stage stage;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), dir.resolve("cfg"));
        // 5,000 lines every 100 ms, plus one stderr line per burst
        engine.docker("run", "-d", "--name", "deskperf-logs", engine.ref(), "sh", "-c",
                "i=1; while :; do seq $i $((i+4999)); echo err$i >&2; i=$((i+5000)); usleep 100000; done")
                .assertOk();
        engine.docker("run", "-d", "--name", "deskperf-diff", engine.ref(), "sh", "-c",
                "mkdir /data; echo x > /data/added; echo y >> /etc/profile2; rm /etc/group; sleep 300").assertOk();
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
            engine.docker("rm", "-f", "deskperf-logs", "deskperf-diff", "deskperf-web", "deskperf-db");
            engine.close();
        }
    }

    @Start
    void show(Stage stage) {
        FxUiExecutor ui = new FxUiExecutor();
        connection = new EngineConnection(EngineEndpoint.unix(engine.daemon().socket()), ui, Duration.ofMillis(200));
        services = new AppServices(ui, connection, catalog);
        this.stage = stage;
        pane = new ContainerDetailPane("deskperf-logs", services, ContainerDetailTabs.all());
        stage.setScene(new Scene(pane, 1000, 650));
        stage.show();
    }

    @org.junit.jupiter.api.AfterEach
    void closeStreams(FxRobot robot) {
        // ApplicationExtension builds a fresh pane and connection per test: end the old ones' streams
        robot.interact(() -> pane.close());
        connection.close();
    }

    @Test
    void followingFiftyThousandLinesPerSecondStaysResponsiveAndBounded(FxRobot robot) throws Exception {
        Tab tab = pane.tabs().getTabs().stream().filter(t -> t.getText().equals("Logs")).findFirst().orElseThrow();
        robot.interact(() -> pane.tabs().getSelectionModel().select(tab));
        LogsView view = (LogsView) tab.getContent();
        ListView<LogLine> list = view.list();
        FxWait.until(20, () -> list.getItems().size() > 10_000);

        AtomicLong pulses = new AtomicLong();
        AnimationTimer counter = new AnimationTimer() {
            @Override
            public void handle(long now) {
                pulses.incrementAndGet();
            }
        };
        robot.interact(counter::start);
        long lines0 = firstSeq(list, robot);
        long t0 = System.nanoTime();
        long maxLatency = 0;
        // while following, the FX thread must answer a runLater promptly: sample its latency
        while (System.nanoTime() - t0 < 8_000_000_000L) {
            long s = System.nanoTime();
            CountDownLatch done = new CountDownLatch(1);
            Platform.runLater(done::countDown);
            assertTrue(done.await(10, TimeUnit.SECONDS), "the FX thread answers while following");
            maxLatency = Math.max(maxLatency, System.nanoTime() - s);
            Thread.sleep(100);
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        robot.interact(counter::stop);
        long lines1 = lastSeq(list, robot);
        long heapUsed = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.gc();
        long heapAfterGc = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf("logs perf: %.1f pulses/s, ~%.0f lines/s shown, max FX latency %.0f ms, rows %d, "
                        + "heap used %d MB (%d MB after GC), RSS %s%n",
                pulses.get() / secs, (lines1 - lines0) / secs, maxLatency / 1e6, list.getItems().size(),
                heapUsed >> 20, heapAfterGc >> 20, rss());

        assertTrue(list.getItems().size() <= DetailTabs.LOG_LINES, "the view keeps at most its capacity");
        assertTrue(lines1 - lines0 > 10_000, "new lines kept arriving: " + (lines1 - lines0));
        assertTrue(list.getItems().stream().anyMatch(l -> l.stream() == LogStream.STDERR && l.text().startsWith("err")),
                "stderr lines are kept apart");
    }

    @Test
    void composeProjectGroupsItsContainersAndStopsAndRemovesThemTogether(FxRobot robot) throws Exception {
        for (String n : new String[] {"deskperf-web", "deskperf-db"}) {
            engine.docker("run", "-d", "--name", n, "-l", "com.docker.compose.project=deskperfshop", engine.ref(),
                    "sleep", "300").assertOk();
        }
        robot.interact(pane::close);
        var view = new java.util.concurrent.atomic.AtomicReference<ContainersView>();
        robot.interact(() -> {
            view.set(new ContainersView(services));
            stage.getScene().setRoot(view.get());
        });
        connection.start();
        @SuppressWarnings("unchecked")
        TableView<ContainerRow> table = robot.lookup("#containers-table").queryAs(TableView.class);
        FxWait.until(20, () -> header(table).map(h -> h.status().equals("2 of 2 running"))
                .orElse(false));
        List<String> order = items(table).stream().map(ContainerRow::name).toList();
        int at = order.indexOf("deskperfshop");
        assertEquals(java.util.Set.of("deskperf-web", "deskperf-db"), java.util.Set.copyOf(order.subList(at + 1, at + 3)),
                "the project's containers sit under its header: " + order);
        robot.interact(() -> table.getSelectionModel().clearAndSelect(table.getItems().indexOf(table.getItems().stream()
                .filter(r -> ContainerGroups.isHeader(r) && r.name().equals("deskperfshop")).findFirst().orElseThrow())));
        robot.clickOn("#containers-stop");
        FxWait.until(30, () -> header(table).map(h -> h.status().equals("0 of 2 running"))
                .orElse(false));
        assertEquals("exited", engine.docker("inspect", "-f", "{{.State.Status}}", "deskperf-db").stdout().strip());
        robot.interact(() -> table.getSelectionModel().clearAndSelect(table.getItems().indexOf(table.getItems().stream()
                .filter(r -> ContainerGroups.isHeader(r) && r.name().equals("deskperfshop")).findFirst().orElseThrow())));
        robot.clickOn("#containers-remove");
        FxWait.until(30, () -> header(table).isEmpty());
        assertTrue(engine.docker("ps", "-a", "--filter", "label=com.docker.compose.project=deskperfshop", "-q")
                .stdout().isBlank(), "both containers are gone from the engine");
        assertTrue(items(table).stream().anyMatch(r -> r.name().equals("deskperf-logs")), "other containers stay");
    }

    /** Read on the FX thread: the table's sorted list changes under a reader on any other. */
    private static java.util.Optional<ContainerRow> header(TableView<ContainerRow> table) {
        return items(table).stream().filter(r -> ContainerGroups.isHeader(r) && r.name().equals("deskperfshop")).findFirst();
    }

    private static List<ContainerRow> items(TableView<ContainerRow> table) {
        try {
            return WaitForAsyncUtils.asyncFx(() -> List.copyOf(table.getItems())).get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static long firstSeq(ListView<LogLine> list, FxRobot robot) {
        long[] v = new long[1];
        robot.interact(() -> v[0] = lastNumber(list));
        return v[0];
    }

    private static long lastSeq(ListView<LogLine> list, FxRobot robot) {
        return firstSeq(list, robot);
    }

    /** The number on the newest stdout line: the generator's line count so far. */
    private static long lastNumber(ListView<LogLine> list) {
        for (int i = list.getItems().size() - 1; i >= 0; i--) {
            LogLine l = list.getItems().get(i);
            if (l.stream() == LogStream.STDOUT && !l.text().isEmpty() && Character.isDigit(l.text().charAt(0))) {
                return Long.parseLong(l.text().strip());
            }
        }
        return 0;
    }

    private static String rss() {
        try {
            return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith("VmRSS"))
                    .map(l -> l.substring(6).strip()).findFirst().orElse("?");
        } catch (Exception e) {
            return "?";
        }
    }
}
