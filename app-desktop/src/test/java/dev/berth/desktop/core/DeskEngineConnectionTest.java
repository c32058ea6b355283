package dev.berth.desktop.core;

import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.model.EventMessage;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeskEngineConnectionTest {
    @Test
    void followsEventsAndReconnectsAfterTheEngineRestarts() throws Exception {
        try (TestDaemon daemon = TestDaemon.start();
             EngineConnection conn = new EngineConnection(EngineEndpoint.unix(daemon.socket()), UiExecutor.synchronous(),
                     Duration.ofMillis(100))) {
            List<EventMessage> events = new CopyOnWriteArrayList<>();
            AtomicInteger connects = new AtomicInteger();
            conn.onEvent(events::add);
            conn.onConnected(connects::incrementAndGet);
            conn.start();
            await(() -> conn.state() == EngineConnection.State.CONNECTED, "connected");
            conn.client().volumes().create("deskconn-vol", null, null, null);
            await(() -> events.stream().anyMatch(e -> "volume".equals(e.type()) && "create".equals(e.action())), "volume event");

            daemon.stop();
            await(() -> conn.state() == EngineConnection.State.DISCONNECTED, "disconnected");
            assertTrue(!conn.lastErrorProperty().get().isEmpty(), "says why");
            daemon.restart();
            await(() -> conn.state() == EngineConnection.State.CONNECTED && connects.get() == 2, "reconnected");
            assertEquals(2, connects.get());
        }
    }

    static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
