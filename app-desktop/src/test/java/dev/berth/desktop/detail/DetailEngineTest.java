package dev.berth.desktop.detail;

import dev.berth.desktop.detail.logs.LogBatcher;
import dev.berth.desktop.detail.logs.LogFollower;
import dev.berth.desktop.detail.logs.LogLine;
import dev.berth.desktop.detail.logs.LogStream;
import dev.berth.desktop.detail.stats.StatsFollower;
import dev.berth.desktop.detail.stats.StatsSample;
import dev.berth.desktop.detail.terminal.TerminalKeys;
import dev.berth.desktop.detail.terminal.TerminalScreen;
import dev.berth.desktop.detail.terminal.TerminalSession;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** The container detail's engine side against a real Berth daemon: logs follow, exec TTY, stats stream. */
class DetailEngineTest {
    static BusyboxOnBerth engine;
    static EngineClient client;
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), config);
        client = EngineClient.create(EngineEndpoint.unix(engine.daemon().socket()));
    }

    @AfterAll
    static void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        if (engine != null) {
            engine.close();
        }
    }

    static void await(String what, BooleanSupplier cond) throws InterruptedException {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    @Test
    void logsFollowNewLinesAndTellStderrApart() throws Exception {
        engine.docker("run", "-d", "--name", "detail-logs", engine.ref(), "sh", "-c",
                "i=0; while :; do i=$((i+1)); echo out$i; echo err$i >&2; sleep 0.2; done").assertOk();
        LogBatcher batcher = new LogBatcher(10_000);
        List<LogLine> seen = new ArrayList<>();
        try (LogFollower f = LogFollower.start(client.containers(), "detail-logs", false, true, "all", batcher,
                t -> { })) {
            await("out3 followed", () -> {
                seen.addAll(batcher.drain());
                return seen.stream().anyMatch(l -> l.text().equals("out3"));
            });
            assertTrue(f.isAlive(), "still following");
        } finally {
            engine.docker("rm", "-f", "detail-logs");
        }
        LogLine err = seen.stream().filter(l -> l.text().equals("err1")).findFirst().orElseThrow();
        assertEquals(LogStream.STDERR, err.stream());
        assertEquals(LogStream.STDOUT, seen.stream().filter(l -> l.text().equals("out1")).findFirst().orElseThrow()
                .stream());
        assertTrue(err.timestamp() != null && err.timestamp().contains("T"), "timestamped: " + err);
    }

    @Test
    void terminalRunsEchoAndShowsItsOutput() throws Exception {
        engine.docker("run", "-d", "--name", "detail-term", engine.ref(), "sleep", "300").assertOk();
        TerminalScreen screen = new TerminalScreen(24, 80, 500);
        try (TerminalSession s = TerminalSession.open(client.containers(), "detail-term", "sh", screen, () -> { },
                t -> { })) {
            s.send(TerminalKeys.typed("echo hel''lo-from-detail"));
            s.send(TerminalKeys.bytes(TerminalKeys.Key.ENTER));
            // the typed command echoes with the quotes; only the output has the joined word on its own line
            await("echo output", () -> screen.text().lines().anyMatch(l -> l.strip().equals("hello-from-detail")));
            s.resize(30, 100);
            s.send(TerminalKeys.typed("stty size\r"));
            await("resized tty", () -> screen.text().lines().anyMatch(l -> l.strip().equals("30 100")));
        } finally {
            engine.docker("rm", "-f", "detail-term");
        }
    }

    @Test
    void statsStreamGivesSamples() throws Exception {
        engine.docker("run", "-d", "--name", "detail-stats", engine.ref(), "sh", "-c", "while :; do :; done")
                .assertOk();
        List<StatsSample> samples = new CopyOnWriteArrayList<>();
        try (StatsFollower f = StatsFollower.start(client.containers(), "detail-stats", samples::add, t -> { })) {
            await("two samples", () -> samples.size() >= 2);
        } finally {
            engine.docker("rm", "-f", "detail-stats");
        }
        StatsSample last = samples.getLast();
        assertTrue(last.memoryUsage() > 0, "memory: " + last);
        assertTrue(last.cpuPercent() > 1, "a busy loop uses CPU: " + last);
    }
}
