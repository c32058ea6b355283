package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Health checks with the real docker CLI: {@code --health-cmd} and the image's HEALTHCHECK run in the
 * container at their interval; State.Health, {@code docker ps}'s "(healthy)" and its health filter,
 * the health_status event, a probe past its timeout, {@code --no-healthcheck}, Docker's 400 for an
 * interval under 1ms. Intervals are 100 ms so each case settles in a second or two.
 */
class DockerCliHealthcheckTest {
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

    @AfterEach
    void cleanUp() {
        engine.daemon().removeAllContainers(config);
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

    static String inspect(String id, String format) {
        return docker("inspect", "-f", format, id).assertOk().stdout().strip();
    }

    /** Polls the health status until it is {@code want}; fails with the last State.Health after 20 s. */
    static void awaitHealth(String id, String want) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (inspect(id, "{{.State.Health.Status}}").equals(want)) {
                return;
            }
            Thread.sleep(100);
        }
        fail("not " + want + " after 20 s: " + inspect(id, "{{json .State.Health}}"));
    }

    @Test
    void aCheckGoesFromStartingToHealthyAndDockerPsShowsAndFiltersIt() throws Exception {
        String id = docker("run", "-d", "--network", "none", "--health-cmd", "test -e /ok", "--health-interval", "100ms",
                "--health-retries", "1000", ref, "sh", "-c", "sleep 5; echo > /ok; sleep 60").assertOk().stdout().strip();
        assertEquals("starting", inspect(id, "{{.State.Health.Status}}"));
        assertTrue(docker("ps", "--filter", "id=" + id, "--format", "{{.Status}}").assertOk().stdout().contains("(health: starting)"));

        awaitHealth(id, "healthy");
        assertTrue(docker("ps", "--filter", "id=" + id, "--format", "{{.Status}}").assertOk().stdout().strip().endsWith("(healthy)"));
        assertEquals(id, docker("ps", "-q", "--no-trunc", "--filter", "health=healthy").assertOk().stdout().strip());
        assertEquals("", docker("ps", "-q", "--filter", "health=unhealthy").assertOk().stdout().strip());
        assertEquals("0", inspect(id, "{{.State.Health.FailingStreak}}"));
        String log = inspect(id, "{{range .State.Health.Log}}{{.ExitCode}} {{end}}");
        assertTrue(log.contains("1 ") && log.endsWith("0"), "failures while the file was missing, then a success: " + log);
        assertTrue(log.split(" ").length <= 5, "at most five results kept: " + log);
    }

    @Test
    void failuresPastTheRetriesMakeItUnhealthyWithAnEvent() throws Exception {
        long since = System.currentTimeMillis() / 1000 - 1;
        String id = docker("run", "-d", "--network", "none", "--health-cmd", "echo nope; exit 1", "--health-interval", "100ms",
                "--health-retries", "2", ref, "sleep", "60").assertOk().stdout().strip();
        awaitHealth(id, "unhealthy");
        assertTrue(Integer.parseInt(inspect(id, "{{.State.Health.FailingStreak}}")) >= 2);
        assertEquals("1 nope\n", docker("inspect", "-f", "{{with index .State.Health.Log 0}}{{.ExitCode}} {{.Output}}{{end}}", id)
                .assertOk().stdout().replaceAll("\n\n$", "\n"));
        String events = docker("events", "--since", Long.toString(since), "--until", Long.toString(System.currentTimeMillis() / 1000 + 1),
                "--filter", "container=" + id, "--filter", "event=health_status", "--format", "{{.Action}}").assertOk().stdout();
        assertEquals("health_status: unhealthy", events.strip(), "one event, on the change: " + events);
    }

    @Test
    void aProbePastItsTimeoutFailsAndIsKilled() throws Exception {
        String id = docker("run", "-d", "--network", "none", "--health-cmd", "sleep 30", "--health-timeout", "200ms",
                "--health-interval", "100ms", "--health-retries", "1", ref, "sleep", "60").assertOk().stdout().strip();
        awaitHealth(id, "unhealthy");
        assertEquals("-1 Health check exceeded timeout (200ms)",
                inspect(id, "{{with index .State.Health.Log 0}}{{.ExitCode}} {{.Output}}{{end}}"));
        Thread.sleep(500);
        String ps = docker("top", id).assertOk().stdout();
        assertTrue(ps.lines().filter(l -> l.contains("sleep 30")).count() <= 1,
                "probes past their timeout do not pile up in the container: " + ps);
    }

    @Test
    void theImagesCheckRunsAndNoHealthcheckSwitchesItOff() throws Exception {
        String dockerfile = "FROM " + ref + "\nHEALTHCHECK --interval=100ms --retries=1 CMD [\"true\"]\n";
        Processes.Result built = Processes.run(Map.of("DOCKER_HOST", engine.daemon().host(), "DOCKER_CONFIG", config.toString(),
                "DOCKER_BUILDKIT", "0"), dockerfile.getBytes(StandardCharsets.UTF_8), 120, "docker", "build", "-q", "-t", "hc/checked:1", "-");
        assertEquals(0, built.exitCode(), built.stderr());
        try {
            String checked = docker("run", "-d", "--network", "none", "hc/checked:1", "sleep", "60").assertOk().stdout().strip();
            awaitHealth(checked, "healthy");
            assertEquals("[CMD true] 100ms", inspect(checked, "{{.Config.Healthcheck.Test}} {{.Config.Healthcheck.Interval}}"),
                    "inspect shows the image's check, merged in at create");
            String off = docker("run", "-d", "--network", "none", "--no-healthcheck", "hc/checked:1", "sleep", "60")
                    .assertOk().stdout().strip();
            Thread.sleep(400);
            assertEquals("null", inspect(off, "{{json .State.Health}}"));
            assertTrue(!docker("ps", "--filter", "id=" + off, "--format", "{{.Status}}").assertOk().stdout().contains("health"));
        } finally {
            engine.daemon().removeAllContainers(config);
            docker("rmi", "hc/checked:1");
        }
    }

    @Test
    void anIntervalUnderAMillisecondIsDockers400() {
        var r = docker("create", "--health-cmd", "true", "--health-interval", "500us", ref);
        assertTrue(r.exitCode() != 0, r.stdout());
        assertTrue(r.stderr().contains("Interval in Healthcheck cannot be less than 1ms"), r.stderr());
    }
}
