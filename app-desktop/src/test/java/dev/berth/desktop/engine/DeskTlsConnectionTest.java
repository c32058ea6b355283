package dev.berth.desktop.engine;

import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.model.EventMessage;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A TLS tcp:// connection saved in Settings (CA, certificate and key files), against a real daemon
 * behind a TLS endpoint that requires a client certificate (the daemon itself serves only Unix
 * sockets): the app lists the engine's objects and follows its events through it; files that cannot
 * work are refused when the connection is added.
 */
class DeskTlsConnectionTest {
    @TempDir
    static Path dir;
    static TestDaemon daemon;
    static TlsProxy proxy;

    @BeforeAll
    static void start() throws Exception {
        javax.net.ssl.SSLContext ctx = TlsFiles.create(dir, "desk4-client");
        daemon = TestDaemon.start();
        proxy = new TlsProxy(ctx, daemon.socket());
    }

    @AfterAll
    static void stop() throws Exception {
        if (proxy != null) {
            proxy.close();
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    private static String file(String name) {
        return dir.resolve(name).toString();
    }

    @Test
    void listsAndFollowsAnEngineBehindTls() throws Exception {
        try (EngineClient direct = EngineClient.create(EngineEndpoint.unix(daemon.socket()));
             DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("a.db"));
             EngineConnection conn = new EngineConnection(EngineEndpoint.unix(dir.resolve("nothing.sock")), UiExecutor.synchronous(),
                     Duration.ofMillis(100))) {
            direct.volumes().create("desk4-tls-before", null, null, null);
            List<EventMessage> events = new CopyOnWriteArrayList<>();
            conn.onEvent(events::add);
            conn.start();
            ConnectionsModel model = ConnectionsModel.withTls(catalog, EngineEndpoint.unix(dir.resolve("nothing.sock")), conn::switchTo);
            String host = "tcp://127.0.0.1:" + proxy.port();

            assertTrue(model.add("desk4-tls", host, file("ca.pem"), file("cert.pem"), file("key.pem")), model.errorProperty().get());
            model.activate("desk4-tls");
            await(() -> conn.state() == EngineConnection.State.CONNECTED, "connected through TLS, said " + conn.lastErrorProperty().get());
            assertTrue(conn.client().volumes().list(null).path("Volumes").findValuesAsText("Name").contains("desk4-tls-before"));
            assertTrue(proxy.clients().stream().anyMatch(c -> c.contains("CN=desk4-client")), proxy.clients().toString());

            // live: an event through the TLS stream
            direct.volumes().create("desk4-tls-after", null, null, null);
            await(() -> events.stream().anyMatch(e -> "volume".equals(e.type()) && "desk4-tls-after".equals(e.actor().id())),
                    "the volume's event through TLS");
            // kept for the next start
            assertTrue(ConnectionsModel.activeTls(catalog).isPresent());
            assertEquals(host, ConnectionsModel.activeHost(catalog).orElseThrow());
        }
    }

    @Test
    void withoutAClientCertificateTheEngineCannotBeReached() throws Exception {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("b.db"));
             EngineConnection conn = new EngineConnection(EngineEndpoint.unix(dir.resolve("nothing.sock")), UiExecutor.synchronous(),
                     Duration.ofMillis(100))) {
            conn.start();
            ConnectionsModel model = ConnectionsModel.withTls(catalog, EngineEndpoint.unix(dir.resolve("nothing.sock")), conn::switchTo);
            assertTrue(model.add("desk4-ca-only", "tcp://127.0.0.1:" + proxy.port(), file("ca.pem"), "", ""), model.errorProperty().get());
            model.activate("desk4-ca-only");
            await(() -> conn.state() == EngineConnection.State.DISCONNECTED
                    && conn.endpoint().uri().contains(":" + proxy.port()) && !conn.lastErrorProperty().get().isEmpty(), "refused");
        }
    }

    @Test
    void filesThatCannotWorkAreRefused() {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("c.db"))) {
            ConnectionsModel model = ConnectionsModel.withTls(catalog, EngineEndpoint.unix(dir.resolve("nothing.sock")), (e, t) -> { });
            assertFalse(model.add("desk4-x", "unix:///var/run/docker.sock", file("ca.pem"), "", ""));
            assertTrue(model.errorProperty().get().contains("tcp://"), model.errorProperty().get());
            assertFalse(model.add("desk4-x", "tcp://127.0.0.1:2376", "", file("cert.pem"), ""));
            assertTrue(model.errorProperty().get().contains("needs its key"), model.errorProperty().get());
            assertFalse(model.add("desk4-x", "tcp://127.0.0.1:2376", file("missing.pem"), "", ""));
            assertTrue(model.errorProperty().get().contains("Cannot read"), model.errorProperty().get());
            assertFalse(model.add("desk4-x", "tcp://127.0.0.1:2376", file("san.ext"), "", ""));
            assertFalse(model.errorProperty().get().isEmpty());
            assertEquals(List.of(ConnectionsModel.DEFAULT_NAME), model.connections().stream().map(DesktopCatalog.SavedConnection::name).toList(),
                    "nothing saved");
            // plain tcp:// keeps working without files
            assertTrue(model.add("desk4-plain", "tcp://127.0.0.1:2375", "", "", ""));
            assertTrue(ConnectionsModel.tls(catalog, "desk4-plain").isEmpty());
        }
    }

    static void await(BooleanSupplier c, String what) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        while (!c.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
