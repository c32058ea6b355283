package dev.berth.engine;

import dev.berth.engine.runtime.MountInfo;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real docker CLI running detached containers on Berth: run -d, wait, logs, ps, inspect, stop, kill, rm. */
class DockerCliContainersTest {
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

    @Test
    void runWaitLogsPsInspectStopKillRm() throws Exception {
        var run = docker("run", "-d", "--name", "t1", ref, "sh", "-c", "echo hello; echo err >&2; exit 3").assertOk();
        String id = run.stdout().strip();
        assertTrue(id.matches("[0-9a-f]{64}"), run.stdout());

        assertEquals("3", docker("wait", "t1").assertOk().stdout().strip());
        var logs = docker("logs", "t1").assertOk();
        assertEquals("hello\n", logs.stdout());
        assertEquals("err\n", logs.stderr());
        String ps = docker("ps", "-a", "--format", "{{.Names}} {{.Status}}").assertOk().stdout();
        assertTrue(ps.lines().anyMatch(l -> l.startsWith("t1 Exited (3) ")), ps);
        assertEquals("", docker("ps", "-q").assertOk().stdout().strip(), "an exited container is not listed without -a");
        assertEquals("3", docker("inspect", "-f", "{{.State.ExitCode}}", "t1").assertOk().stdout().strip());
        assertEquals("exited /t1 " + id, docker("inspect", "-f", "{{.State.Status}} {{.Name}} {{.Id}}", id.substring(0, 12))
                .assertOk().stdout().strip());

        var conflict = docker("run", "-d", "--name", "t1", ref, "true");
        assertNotEquals(0, conflict.exitCode());
        assertTrue(conflict.stderr().contains("Conflict. The container name \"/t1\" is already in use by container \"" + id),
                conflict.stderr());

        docker("run", "-d", "--name", "t2", ref, "sleep", "300").assertOk();
        assertEquals("true", docker("inspect", "-f", "{{.State.Running}}", "t2").assertOk().stdout().strip());
        assertTrue(docker("ps", "--format", "{{.Names}} {{.Status}}").assertOk().stdout().contains("t2 Up "));
        var busy = docker("rm", "t2");
        assertNotEquals(0, busy.exitCode());
        assertTrue(busy.stderr().contains("cannot remove container \"/t2\": container is running: stop the container"
                + " before removing or force remove"), busy.stderr());

        docker("stop", "-t", "1", "t2").assertOk();
        String code = docker("inspect", "-f", "{{.State.ExitCode}}", "t2").assertOk().stdout().strip();
        assertTrue(code.equals("137") || code.equals("143"), code);

        docker("run", "-d", "--name", "t3", ref, "sleep", "300").assertOk();
        docker("kill", "t3").assertOk();
        assertEquals("137", docker("wait", "t3").assertOk().stdout().strip());

        docker("rm", "t1", "t2", "t3").assertOk();
        assertEquals("", docker("ps", "-aq").assertOk().stdout().strip());
        var missing = docker("inspect", "--type", "container", "t1");
        assertTrue(missing.stderr().contains("No such container: t1"), missing.stderr());

        Path data = engine.daemon().dataRoot().toRealPath();
        assertEquals(List.of(), MountInfo.under(data), "nothing mounted under the data root");
        Path runc = data.resolve("runtime/runc");
        try (Stream<Path> left = Files.exists(runc) ? Files.list(runc) : Stream.empty()) {
            assertEquals(List.of(), left.toList(), "no runc state left");
        }
    }
}
