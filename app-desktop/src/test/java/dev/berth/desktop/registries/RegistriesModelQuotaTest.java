package dev.berth.desktop.registries;

import com.sun.net.httpserver.HttpServer;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.RepositoryListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The quota header Docker Hub sends ({@code ratelimit-remaining}) reaches the view's model, from a
 * small HTTP server that answers as Hub does (distribution sends no such header); and the
 * "insecure" warning's words.
 */
class RegistriesModelQuotaTest {
    @Test
    void rateLimitHeaderFromTheLatestReplyIsShown(@TempDir Path dir) throws Exception {
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v2/", ex -> {
            byte[] body = ex.getRequestURI().getPath().equals("/v2/_catalog")
                    ? "{\"repositories\":[\"pushwiz/app\"]}".getBytes(StandardCharsets.UTF_8) : "{}".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.getResponseHeaders().add("ratelimit-remaining", "97;w=21600");
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"))) {
            String host = "127.0.0.1:" + server.getAddress().getPort();
            RegistriesModel model = new RegistriesModel(new RegistryList(catalog),
                    EngineClient.create(EngineEndpoint.unix(dir.resolve("no.sock"))),
                    CredentialStore.dockerConfig(dir.resolve("docker"), List.of()));
            model.add(host, false);
            assertTrue(model.rateLimit(host).isEmpty(), "nothing before any reply");
            RepositoryListing listing = model.repositories(host);
            assertEquals(List.of("pushwiz/app"), assertInstanceOf(RepositoryListing.Listed.class, listing).page().items());
            assertEquals("97;w=21600", model.rateLimit(host).orElseThrow());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void insecureIsExplainedForRemoteRegistriesAndUnneededForLoopback() {
        assertEquals("", RegistriesModel.insecureWarning("registry.example.com", false));
        assertTrue(RegistriesModel.insecureWarning("https://registry.example.com/", true)
                .startsWith("⚠ TLS certificates of registry.example.com will not be checked"));
        assertTrue(RegistriesModel.insecureWarning("localhost:5000", true).startsWith("Loopback registries already use plain HTTP"));
        assertEquals("", RegistriesModel.insecureWarning("not a host", true));
    }
}
