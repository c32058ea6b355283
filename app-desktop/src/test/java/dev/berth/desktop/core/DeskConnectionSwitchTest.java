package dev.berth.desktop.core;

import dev.berth.desktop.containers.ContainerRow;
import dev.berth.desktop.containers.ContainersViewModel;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Switching the app between two real engines: the containers list shows the second engine's
 * containers, keeps following its events, and no longer the first's; the first engine's /events
 * stream ends; the events loop is one thread, gone after close. Before EngineClient.close() cancelled
 * calls in flight, the events loop stayed blocked on the first engine's {@code /events} (which answers
 * only with its first event), so the second engine was never listed.
 */
class DeskConnectionSwitchTest {
    @Test
    void listsFollowTheEngineSwitchedTo(@TempDir Path config) throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        long loopsBefore = eventLoops();
        EngineConnection closedConn;
        try (BusyboxOnBerth a = BusyboxOnBerth.start(TestDaemon.start(), config);
             TestDaemon b = TestDaemon.start();
             SerialUi ui = new SerialUi()) {
            Processes.docker(b.host(), config, "pull", a.ref()).assertOk();
            a.docker("create", "--name", "desk4-on-a", a.ref(), "true").assertOk();
            Processes.docker(b.host(), config, "create", "--name", "desk4-on-b", a.ref(), "true").assertOk();
            EventBus aEvents = a.daemon().daemon().engine().events();
            // The connection asks for events since the last whole second but one. Once two seconds
            // have passed, the first engine has nothing that recent to replay, so its /events sends
            // not even its headers until the next event: the call in flight that only cancelling it
            // can end (the case a switch used to hang on).
            Thread.sleep(2100);
            try (EngineConnection conn = new EngineConnection(EngineEndpoint.unix(a.daemon().socket()), ui, Duration.ofMillis(200))) {
                closedConn = conn;
                ContainersViewModel vm = new ContainersViewModel(new AppServices(ui, conn, null));
                conn.start();
                await(ui, () -> names(vm).equals(List.of("desk4-on-a")), "the first engine's containers", vm);
                await(() -> aEvents.subscriberCount() == 1, "the app's /events stream on the first engine");
                assertEquals(loopsBefore + 1, eventLoops(), "one events loop");

                conn.switchTo(EngineEndpoint.unix(b.socket()));
                await(ui, () -> names(vm).equals(List.of("desk4-on-b")), "the second engine's containers", vm);
                assertEquals(EngineEndpoint.unix(b.socket()), conn.endpoint());
                assertEquals(loopsBefore + 1, eventLoops(), "still one events loop after the switch");

                // live from the second engine's events, deaf to the first's
                a.docker("create", "--name", "desk4-late-a", a.ref(), "true").assertOk();
                Processes.docker(b.host(), config, "create", "--name", "desk4-late-b", a.ref(), "true").assertOk();
                await(ui, () -> names(vm).contains("desk4-late-b"), "an event from the second engine", vm);
                assertEquals(List.of("desk4-late-b", "desk4-on-b"), ui.read(() -> names(vm)));
                assertEquals(EngineConnection.State.CONNECTED, ui.read(conn::state));

                // The first engine's stream was closed by the switch: the engine notices when it next
                // writes to it (an event), and unsubscribes.
                AtomicInteger n = new AtomicInteger();
                await(() -> {
                    if (aEvents.subscriberCount() == 0) {
                        return true;
                    }
                    a.docker("volume", "create", "desk4-poke-" + n.incrementAndGet()).assertOk();
                    return aEvents.subscriberCount() == 0;
                }, "the first engine's /events stream to end");
            }
            assertFalse(closedConn.isRunning(), "the events loop ends with close()");
            assertTrue(eventLoops() <= loopsBefore, "no events loop left behind");
        }
    }

    /**
     * An answer from the engine switched away from never reaches a view: the call is held until after
     * the switch, then its result is dropped (only the stale hook runs). No engine is needed.
     */
    @Test
    void anAnswerFromBeforeASwitchIsDropped() throws Exception {
        try (SerialUi ui = new SerialUi();
             EngineConnection conn = new EngineConnection(EngineEndpoint.unix(Path.of("/nonexistent/desk4-a.sock")), ui,
                     Duration.ofSeconds(1))) {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger done = new AtomicInteger();
            AtomicInteger failed = new AtomicInteger();
            AtomicInteger stale = new AtomicInteger();
            conn.call(c -> {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
                return "old";
            }, v -> done.incrementAndGet(), e -> failed.incrementAndGet(), stale::incrementAndGet);
            conn.call(c -> { throw new IllegalStateException("old engine failed late"); },
                    v -> done.incrementAndGet(), e -> failed.incrementAndGet(), stale::incrementAndGet);
            // the failing call may have answered before the switch; the held one cannot have
            conn.switchTo(EngineEndpoint.unix(Path.of("/nonexistent/desk4-b.sock")));
            release.countDown();
            await(() -> ui.read(() -> stale.get() + failed.get()) == 2, "both calls to answer");
            assertEquals(0, done.get(), "the held answer reached the view");
            assertTrue(stale.get() >= 1);

            conn.call(c -> "new", v -> done.incrementAndGet(), e -> failed.incrementAndGet(), stale::incrementAndGet);
            await(() -> ui.read(done::get) == 1, "an answer after the switch");
        }
    }

    private static String loopStack() {
        StringBuilder b = new StringBuilder();
        Thread.getAllStackTraces().forEach((t, st) -> {
            if (t.getName().equals("berth-desktop-events")) {
                for (StackTraceElement e : st) {
                    b.append("  at ").append(e).append('\n');
                }
            }
        });
        return b.toString();
    }

    private static long eventLoops() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().equals("berth-desktop-events") && t.isAlive()).count();
    }

    private static List<String> names(ContainersViewModel vm) {
        return vm.rows().stream().map(ContainerRow::name).sorted().toList();
    }

    interface Check {
        boolean ok() throws Exception;
    }

    private static void await(Check c, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.ok()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private static void await(SerialUi ui, Supplier<Boolean> c, String what, ContainersViewModel vm) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!ui.read(c)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what + "; listed " + ui.read(() -> names(vm))
                        + ", error: " + ui.read(() -> vm.errorProperty().get()) + "; events loop at:\n" + loopStack());
            }
            Thread.sleep(20);
        }
    }

    /** One "UI" thread, as in the app: view-model state is only touched there. */
    static final class SerialUi implements UiExecutor, AutoCloseable {
        private final ExecutorService thread = Executors.newSingleThreadExecutor();

        @Override
        public void onUi(Runnable r) {
            thread.execute(r);
        }

        @Override
        public <T> void background(Callable<T> work, Consumer<T> done, Consumer<Throwable> failed) {
            Thread.ofVirtual().start(() -> {
                try {
                    T v = work.call();
                    onUi(() -> done.accept(v));
                } catch (Throwable t) {
                    onUi(() -> failed.accept(t));
                }
            });
        }

        <T> T read(Supplier<T> s) throws Exception {
            return thread.submit(s::get).get(10, TimeUnit.SECONDS);
        }

        @Override
        public void close() throws InterruptedException {
            thread.shutdownNow();
            thread.awaitTermination(5, TimeUnit.SECONDS);
        }
    }
}
