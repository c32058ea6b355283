package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real docker CLI running attached containers on Berth: docker run without -d, with and without --rm. */
class DockerCliRunTest {
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), config);
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    /** {@code --network none}: the default network's warning would otherwise be on stderr too. */
    @Test
    void runAttachedGetsOutputAndExitCode() {
        var run = docker("run", "--network", "none", "--name", "r1", ref, "sh", "-c", "echo out; echo err >&2; exit 7");
        assertEquals(7, run.exitCode(), run.stderr());
        assertEquals("out\n", run.stdout());
        assertEquals("err\n", run.stderr());
        assertEquals("7", docker("inspect", "-f", "{{.State.ExitCode}}", "r1").assertOk().stdout().strip());
        docker("rm", "r1").assertOk();
    }

    @Test
    void runRmPrintsAndRemoves() {
        var run = docker("run", "--rm", "--name", "r2", ref, "echo", "hi").assertOk();
        assertEquals("hi\n", run.stdout());
        String ps = docker("ps", "-a", "--format", "{{.Names}}").assertOk().stdout();
        assertTrue(ps.lines().noneMatch("r2"::equals), ps);
    }

    @Test
    void runRmKeepsTheExitCode() {
        var run = docker("run", "--rm", ref, "sh", "-c", "echo bye; exit 3");
        assertEquals(3, run.exitCode(), run.stderr());
        assertEquals("bye\n", run.stdout());
    }

    /**
     * A --rm container's files go after `docker run` has its answer; its name must be free by then: the same
     * name runs again at once, and a detached container may take it after them.
     */
    @Test
    void aRunRmNameIsFreeTheMomentTheRunReturns() {
        for (int i = 0; i < 3; i++) {
            var run = docker("run", "--rm", "--network", "none", "--name", "rmperf-again", ref, "echo", "round " + i);
            assertEquals(0, run.exitCode(), run.stderr());
            assertEquals("round " + i + "\n", run.stdout());
        }
        docker("run", "-d", "--network", "none", "--name", "rmperf-again", ref, "sleep", "60").assertOk();
        try {
            assertEquals("in\n", docker("exec", "rmperf-again", "echo", "in").assertOk().stdout());
        } finally {
            docker("rm", "-f", "rmperf-again").assertOk();
        }
    }
}
