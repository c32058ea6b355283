package dev.berth.cli;

import com.sun.net.httpserver.HttpServer;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker search} and {@code berth search} against a Berth daemon, whose {@code GET /images/search}
 * asks a stand-in registry index on loopback ({@code /v1/search} in Docker Hub's format): the same
 * tables, filters, limit and format, credentials forwarded, and an unreachable index an error.
 */
class SearchEndToEndTest {
    static TestDaemon daemon;
    static HttpServer index;
    static String host;
    static final List<String> queries = new CopyOnWriteArrayList<>();
    static final List<String> auths = new CopyOnWriteArrayList<>();
    @TempDir
    static Path home;

    static final String ANSWER = """
            {"num_results":3,"query":"busy","page":1,"results":[
             {"name":"busybox","description":"Busybox base image.","star_count":3412,"is_official":true,"is_automated":false},
             {"name":"someone/busybox-tools","description":"A very long description of some busybox tools that goes on and on\\nwith a newline","star_count":7,"is_official":false,"is_automated":true},
             {"name":"other/busy","description":"","star_count":0,"is_official":false,"is_automated":false}]}""";

    @BeforeAll
    static void start() throws Exception {
        daemon = TestDaemon.start();
        index = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        index.createContext("/v1/search", ex -> {
            queries.add(ex.getRequestURI().getRawQuery());
            String a = ex.getRequestHeaders().getFirst("Authorization");
            auths.add(a == null ? "" : a);
            byte[] body = ANSWER.getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        index.start();
        host = "127.0.0.1:" + index.getAddress().getPort();
        Path config = home.resolve(".docker");
        Files.createDirectories(config);
        Files.writeString(config.resolve("config.json"), "{\"auths\":{\"" + host + "\":{\"auth\":\""
                + Base64.getEncoder().encodeToString("impsearch:s3cret".getBytes(StandardCharsets.UTF_8)) + "\"}}}");
    }

    @AfterAll
    static void stop() throws Exception {
        if (index != null) {
            index.stop(0);
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    static Processes.Result docker(String... args) {
        return Processes.docker(daemon.host(), home.resolve(".docker"), args);
    }

    static CliRun.Result berth(String... args) {
        return new CliRun(null, home).env("DOCKER_HOST", daemon.host()).env("DOCKER_CONFIG", home.resolve(".docker").toString())
                .systemClock().run(args);
    }

    static void same(String... args) {
        var d = docker(args).assertOk();
        var b = berth(args);
        assertEquals(0, b.status(), b.err());
        assertEquals(d.stdout(), b.out(), String.join(" ", args));
    }

    @Test
    void berthPrintsWhatDockerPrints() {
        String term = host + "/busy";
        var table = docker("search", term).assertOk().stdout();
        assertTrue(table.startsWith("NAME"), table);
        assertTrue(table.contains("busybox") && table.contains("[OK]") && table.contains("3412"), table);
        assertTrue(queries.contains("q=busy&n=25"), "the index is asked for the name without the host: " + queries);
        same("search", term);
        same("search", "--no-trunc", term);
        same("search", "--limit", "1", term);
        same("search", "--filter", "stars=5", term);
        same("search", "--filter", "is-official=true", term);
        same("search", "--filter", "is-automated=false", "--format", "{{.Name}}: {{.StarCount}} {{.IsOfficial}}", term);
        assertEquals("busybox\n", berth("search", "--filter", "is-official=true", "--format", "{{.Name}}", term).out());
        assertTrue(queries.contains("q=busy&n=1"), queries.toString());
    }

    @Test
    void credentialsAreForwardedToTheIndex() {
        auths.clear();
        docker("search", host + "/busy").assertOk();
        assertTrue(berth("search", host + "/busy").status() == 0);
        String basic = "Basic " + Base64.getEncoder().encodeToString("impsearch:s3cret".getBytes(StandardCharsets.UTF_8));
        assertEquals(List.of(basic, basic), auths.stream().filter(a -> !a.isEmpty()).toList(), "both clients' logins reach the index");
    }

    @Test
    void badFiltersAndUnreachableIndexAreErrors() {
        var d = docker("search", "--filter", "impsearch=1", host + "/busy");
        assertNotEquals(0, d.exitCode());
        assertTrue(d.stderr().contains("invalid filter 'impsearch'"), d.stderr());
        var b = berth("search", "--filter", "impsearch=1", host + "/busy");
        assertEquals(d.stderr(), b.err());
        var stars = berth("search", "--filter", "stars=many", host + "/busy");
        assertTrue(stars.err().contains("invalid filter 'stars=many'"), stars.err());

        long t0 = System.nanoTime();
        var dead = docker("search", "127.0.0.1:1/busy");
        assertNotEquals(0, dead.exitCode());
        assertTrue(dead.stderr().contains("cannot reach the search index at 127.0.0.1:1"), dead.stderr());
        var deadBerth = berth("search", "127.0.0.1:1/busy");
        assertEquals(dead.stderr(), deadBerth.err());
        assertTrue(System.nanoTime() - t0 < 60_000_000_000L, "no hang");
    }
}
