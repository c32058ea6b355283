package dev.berth.desktop.registries;

import com.sun.net.httpserver.HttpServer;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.errors.BerthException;
import dev.berth.registry.CredentialStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Docker Hub's search, which the registries view uses because Hub refuses the catalog. Hub cannot be
 * reached here, so a small server answers in the index's v1 search format (the one {@code docker
 * search} reads); what is tested is this class's request and its reading of the answer.
 */
class HubSearchTest {
    HttpServer server;
    final List<String> queries = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/v1/search", ex -> {
            try (ex) {
                queries.add(ex.getRequestURI().getRawQuery());
                byte[] body = """
                        {"num_pages":1,"num_results":2,"page_size":25,"query":"busybox","page":1,"results":[
                          {"name":"busybox","description":"Busybox base image.","star_count":3000,"is_official":true},
                          {"name":"someone/busybox-tools","description":"","star_count":1,"is_official":false}]}
                        """.getBytes(StandardCharsets.UTF_8);
                ex.getResponseHeaders().set("Content-Type", "application/json");
                ex.sendResponseHeaders(status.get(), body.length);
                ex.getResponseBody().write(body);
            }
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    HubSearch search() {
        return new HubSearch(URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v1/search"), Duration.ofSeconds(5));
    }

    @Test
    void officialImagesGetTheirLibraryNamespaceAndTheQueryIsSentAsDockerSearchSendsIt() {
        assertEquals(List.of("library/busybox", "someone/busybox-tools"), search().search("busy box", 25));
        assertEquals(List.of("q=busy+box&n=25"), queries);
        assertEquals(List.of("library/busybox"), search().search("busybox", 1), "no more than the limit");
    }

    @Test
    void aRateLimitOrAnErrorIsSaidPlainly() {
        status.set(429);
        BerthException e = assertThrows(BerthException.class, () -> search().search("busybox", 25));
        assertTrue(e.getMessage().contains("rate limiting"), e.getMessage());
        status.set(503);
        e = assertThrows(BerthException.class, () -> search().search("busybox", 25));
        assertTrue(e.getMessage().contains("HTTP 503"), e.getMessage());
    }

    @Test
    void theRegistriesViewSearchesDockerHubWithIt(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"))) {
            RegistriesModel model = new RegistriesModel(new RegistryList(catalog),
                    EngineClient.create(EngineEndpoint.unix(dir.resolve("no.sock"))),
                    CredentialStore.dockerConfig(dir.resolve("docker"), List.of()), 100, search());
            // The exact name is among the results, so Hub's registry is not asked (it cannot be reached here).
            assertEquals(List.of("library/busybox", "someone/busybox-tools"), model.search("docker.io", "busybox"));
            assertEquals(List.of(), model.search("docker.io", "  "));
        }
    }
}
