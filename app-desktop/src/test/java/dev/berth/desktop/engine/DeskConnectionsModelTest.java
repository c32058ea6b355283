package dev.berth.desktop.engine;

import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Connections in Settings: listed, one active, kept in the catalog; switching reconnects to the other engine. */
class DeskConnectionsModelTest {
    @TempDir
    Path dir;

    @Test
    void connectionsAreListedValidatedAndOneIsActive() {
        List<EngineEndpoint> switched = new ArrayList<>();
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            EngineEndpoint def = EngineEndpoint.unix(Path.of("/run/berth/berth.sock"));
            ConnectionsModel m = new ConnectionsModel(catalog, def, switched::add);
            assertEquals(List.of(ConnectionsModel.DEFAULT_NAME), m.connections().stream().map(DesktopCatalog.SavedConnection::name).toList());
            assertEquals(ConnectionsModel.DEFAULT_NAME, m.active().orElseThrow().name(), "the default engine is active at first");

            assertFalse(m.add("bad", "ftp://x"));
            assertTrue(m.errorProperty().get().contains("unsupported engine host"), m.errorProperty().get());
            assertFalse(m.add("", "unix:///x.sock"));
            assertTrue(m.add("docker", "unix:///var/run/docker.sock"));
            assertTrue(m.add("remote", "tcp://10.74.0.9:2375"));
            assertEquals("", m.errorProperty().get());

            m.activate("docker");
            assertEquals("docker", m.active().orElseThrow().name());
            assertEquals(Optional.of("unix:///var/run/docker.sock"), ConnectionsModel.activeHost(catalog), "kept for the next start");
            m.activate("remote");
            assertEquals("remote", m.active().orElseThrow().name());
            assertEquals(1, m.connections().stream().filter(DesktopCatalog.SavedConnection::isDefault).count(), "one active");
            assertEquals(List.of("/var/run/docker.sock", "tcp://10.74.0.9:2375"), switched.stream()
                    .map(e -> e.isUnix() ? e.socketPath().toString() : e.uri()).toList());

            m.remove("remote"); // removing the active one falls back to the default engine
            assertEquals(ConnectionsModel.DEFAULT_NAME, m.active().orElseThrow().name());
            assertEquals(def.socketPath(), switched.get(2).socketPath());
            assertEquals(Optional.empty(), ConnectionsModel.activeHost(catalog));
        }
    }

    private static void waitFor(BooleanSupplier s) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!s.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out");
            }
            Thread.sleep(20);
        }
    }
}
