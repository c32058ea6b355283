package dev.berth.desktop.registries;

import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.RepositoryListing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
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
        // A raw socket server: it must drop a TLS hello at once (as a plain-HTTP registry's 400 does),
        // or the client's HTTPS-first probe of a loopback registry waits for its read timeout.
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try (Socket s = server.accept()) {
                    var in = new java.io.BufferedInputStream(s.getInputStream());
                    in.mark(1);
                    if (in.read() == 0x16) {
                        continue; // TLS ClientHello
                    }
                    in.reset();
                    var reader = new java.io.BufferedReader(new java.io.InputStreamReader(in, StandardCharsets.ISO_8859_1));
                    String requestLine = reader.readLine();
                    for (String h = reader.readLine(); h != null && !h.isEmpty(); h = reader.readLine()) {
                        // headers are not needed
                    }
                    String path = requestLine == null ? "" : requestLine.split(" ")[1];
                    byte[] body = (path.startsWith("/v2/_catalog") ? "{\"repositories\":[\"pushwiz/app\"]}" : "{}")
                            .getBytes(StandardCharsets.UTF_8);
                    String head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nratelimit-remaining: 97;w=21600\r\n"
                            + "Connection: close\r\nContent-Length: " + body.length + "\r\n\r\n";
                    s.getOutputStream().write(head.getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().write(body);
                    s.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    // closed at the end of the test, or a client gone
                }
            }
        });
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"))) {
            String host = "127.0.0.1:" + server.getLocalPort();
            RegistriesModel model = new RegistriesModel(new RegistryList(catalog),
                    EngineClient.create(EngineEndpoint.unix(dir.resolve("no.sock"))),
                    CredentialStore.dockerConfig(dir.resolve("docker"), List.of()));
            model.add(host, false);
            assertTrue(model.rateLimit(host).isEmpty(), "nothing before any reply");
            RepositoryListing listing = model.repositories(host);
            assertEquals(List.of("pushwiz/app"), assertInstanceOf(RepositoryListing.Listed.class, listing).page().items());
            assertEquals("97;w=21600", model.rateLimit(host).orElseThrow());
        } finally {
            server.close();
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

    @Test
    void aMissingCredentialHelperIsShownOnItsRowsAndTheListStays(@TempDir Path dir) throws Exception {
        Path config = java.nio.file.Files.createDirectories(dir.resolve("docker"));
        // As a config copied from Docker Desktop: its helper is not installed here.
        java.nio.file.Files.writeString(config.resolve("config.json"), "{\"credsStore\": \"desktop\"}");
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"))) {
            RegistriesModel model = new RegistriesModel(new RegistryList(catalog),
                    EngineClient.create(EngineEndpoint.unix(dir.resolve("no.sock"))),
                    CredentialStore.dockerConfig(config, List.of(dir.resolve("empty-bin"))));
            model.add("localhost:5000", false);
            List<RegistriesModel.Row> rows = model.rows();
            assertEquals(List.of("docker.io", "localhost:5000"), rows.stream().map(r -> r.registry().host()).toList());
            for (RegistriesModel.Row r : rows) {
                assertEquals(null, r.user());
                assertTrue(r.problem().contains("docker-credential-desktop"), r.problem());
            }
        }
    }
}
