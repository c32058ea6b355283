package dev.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real docker CLI against the daemon: the system endpoints and the socket itself. */
class DockerCliSystemTest {
    static TestDaemon daemon;
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        daemon = TestDaemon.start();
    }

    @AfterAll
    static void stop() throws Exception {
        daemon.close();
    }

    @Test
    void versionNegotiatesAndReportsBerth() throws Exception {
        var r = Processes.docker(daemon.host(), config, "version", "--format", "{{json .Server}}").assertOk();
        JsonNode server = Json.MAPPER.readTree(r.stdout());
        // Docker's release for API 1.44, as clients compare it with Docker's; Berth's own is a component.
        assertEquals("25.0.0", server.path("Version").asText());
        boolean berth = false;
        for (JsonNode c : server.path("Components")) {
            berth |= c.path("Name").asText().equals("Berth") && c.path("Version").asText().equals("0.1.0");
        }
        assertTrue(berth, server.toString());
        assertEquals("1.44", server.path("APIVersion").asText(server.path("ApiVersion").asText()));
        assertEquals("linux", server.path("Os").asText());
    }

    @Test
    void infoShowsDataRootAndDriver() {
        var r = Processes.docker(daemon.host(), config, "info", "--format", "{{.DockerRootDir}} {{.Driver}} {{.OSType}}").assertOk();
        assertEquals(daemon.dataRoot() + " overlay linux", r.stdout().trim());
    }

    @Test
    void emptyImageListHasDockersHeader() {
        var r = Processes.docker(daemon.host(), config, "images").assertOk();
        assertTrue(r.stdout().startsWith("REPOSITORY"), r.stdout());
        assertEquals(1, r.stdout().trim().lines().count(), r.stdout());
    }

    @Test
    void unknownImageIsDockers404() {
        var r = Processes.docker(daemon.host(), config, "image", "inspect", "nosuchimage:nope");
        assertEquals(1, r.exitCode());
        assertTrue(r.stderr().contains("No such image: nosuchimage:nope"), r.stderr());
    }

    @Test
    void socketIsNotWorldAccessible() throws Exception {
        var perms = Files.getPosixFilePermissions(daemon.socket());
        assertEquals(PosixFilePermissions.fromString("rw-rw----"), perms);
    }
}
