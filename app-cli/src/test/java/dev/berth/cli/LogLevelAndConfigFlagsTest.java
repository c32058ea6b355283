package dev.berth.cli;

import dev.berth.engine.client.FakeEngine;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code -l/--log-level} as docker reads it (debug logs the requests as -D does; a bad level is docker's
 * error), and where the client config lives: {@code --config}, else {@code DOCKER_CONFIG}, else {@code ~/.docker}.
 */
class LogLevelAndConfigFlagsTest {
    @TempDir
    Path dir;

    FakeEngine engine;
    CliRun cli;

    @BeforeEach
    void start() throws IOException {
        engine = FakeEngine.unix(dir.resolve("engine.sock"));
        engine.json("GET", "/images/json", 200, "[]");
        cli = new CliRun(engine, dir);
    }

    @AfterEach
    void stop() throws IOException {
        engine.close();
    }

    @Test
    void debugLevelLogsRequestsOthersDoNot() {
        for (String[] args : new String[][] {{"--log-level", "debug"}, {"--log-level=DEBUG"}, {"-l", "debug"}, {"-ldebug"}}) {
            String[] line = new String[args.length + 2];
            System.arraycopy(args, 0, line, 0, args.length);
            line[args.length] = "images";
            line[args.length + 1] = "-q";
            CliRun.Result r = cli.run(line);
            assertEquals(0, r.status(), r.toString());
            assertTrue(r.err().contains("GET /v1.47/images/json -> 200"), String.join(" ", args) + ": " + r.err());
        }
        for (String level : new String[] {"info", "warn", "error", "fatal"}) {
            CliRun.Result r = cli.run("--log-level", level, "images", "-q");
            assertEquals(0, r.status(), r.toString());
            assertFalse(r.err().contains("GET"), level + ": " + r.err());
        }
    }

    @Test
    void configFlagBeatsDockerConfigWhichBeatsHome() throws IOException {
        engine.json("POST", "/auth", 200, "{\"Status\":\"Login Succeeded\"}");
        Path flag = dir.resolve("by-flag");
        Path env = dir.resolve("by-env");
        Path home = dir.resolve(".docker");
        CliRun withEnv = new CliRun(engine, dir).env("DOCKER_CONFIG", env.toString()).stdin("pw\n");
        assertEquals(0, withEnv.run("--config", flag.toString(), "login", "-u", "a", "--password-stdin", "r1.example")
                .status());
        assertTrue(java.nio.file.Files.readString(flag.resolve("config.json")).contains("r1.example"));
        assertFalse(java.nio.file.Files.exists(env.resolve("config.json")));
        withEnv = new CliRun(engine, dir).env("DOCKER_CONFIG", env.toString()).stdin("pw\n");
        assertEquals(0, withEnv.run("login", "-u", "a", "--password-stdin", "r2.example").status());
        assertTrue(java.nio.file.Files.readString(env.resolve("config.json")).contains("r2.example"));
        assertEquals(0, new CliRun(engine, dir).stdin("pw\n").run("login", "-u", "a", "--password-stdin", "r3.example")
                .status());
        assertTrue(java.nio.file.Files.readString(home.resolve("config.json")).contains("r3.example"));
        assertFalse(java.nio.file.Files.readString(env.resolve("config.json")).contains("r3.example"));
    }

    @Test
    void anUnknownLevelIsDockersErrorAndExitsOne() {
        CliRun.Result r = cli.run("--log-level", "loud", "images");
        assertEquals(1, r.status());
        assertEquals("Unable to parse logging level: loud\n", r.err());
        assertTrue(engine.requests().isEmpty(), "no engine call");
    }
}
