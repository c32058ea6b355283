package dev.berth.engine;

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

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --log-opt max-size/max-file} (conmon rotates, Berth keeps max-file - 1 old files, logs reads
 * them in order) and {@code commit}'s default pause.
 */
class DockerCliLogsAndCommitTest {
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
    void rotatedFilesAreKeptUpToMaxFileAndReadInOrder() throws Exception {
        // ~50 bytes a record: about 20 lines a 1 KiB file; slow enough that every rotation is seen.
        docker("run", "-d", "--network", "none", "--name", "fix3-rot", "--log-opt", "max-size=1k", "--log-opt", "max-file=3",
                ref, "sh", "-c", "i=1; while [ $i -le 200 ]; do echo line-$i; i=$((i+1)); sleep 0.015; done").assertOk();
        try {
            assertEquals("0", docker("wait", "fix3-rot").assertOk().stdout().strip());
            Path log = Path.of(docker("inspect", "-f", "{{.LogPath}}", "fix3-rot").assertOk().stdout().strip());
            assertTrue(Files.exists(log.resolveSibling("ctr.log.1")), "a rotated file is kept");
            assertTrue(Files.exists(log.resolveSibling("ctr.log.2")), "two rotated files are kept");
            assertFalse(Files.exists(log.resolveSibling("ctr.log.3")), "max-file=3 keeps the live log and two more");
            assertTrue(Files.size(log) <= 1024 + 100, "the live log stays near max-size: " + Files.size(log));

            List<String> lines = docker("logs", "fix3-rot").assertOk().stdout().lines().toList();
            assertEquals("line-200", lines.getLast());
            int first = Integer.parseInt(lines.getFirst().substring(5));
            assertTrue(first > 1, "the oldest lines were dropped: " + lines.getFirst());
            assertTrue(lines.size() > 30, "more than the live file is read: " + lines.size());
            for (int i = 0; i < lines.size(); i++) {
                assertEquals("line-" + (first + i), lines.get(i), "in order without gaps");
            }
        } finally {
            docker("rm", "-f", "fix3-rot");
        }
    }

    @Test
    void badLogOptionsAreDockers400() {
        var size = docker("create", "--log-opt", "max-size=lots", ref, "true");
        assertNotEquals(0, size.exitCode());
        assertTrue(size.stderr().contains("invalid size: 'lots'"), size.stderr());
        var files = docker("create", "--log-opt", "max-file=0", ref, "true");
        assertTrue(files.stderr().contains("max-file cannot be less than 1"), files.stderr());
        var unknown = docker("create", "--log-opt", "fix3-bogus=1", ref, "true");
        assertTrue(unknown.stderr().contains("unknown log opt 'fix3-bogus' for json-file log driver"), unknown.stderr());
        assertEquals("", docker("ps", "-aq").assertOk().stdout().strip(), "nothing half-created");
    }

    @Test
    void commitPausesARunningContainerByDefault() {
        docker("run", "-d", "--network", "none", "--name", "fix3-commit", ref, "sleep", "300").assertOk();
        try {
            String since = docker("inspect", "-f", "{{.Created}}", "fix3-commit").assertOk().stdout().strip();
            docker("commit", "fix3-commit", "fix3-committed:paused").assertOk();
            docker("commit", "--pause=false", "fix3-commit", "fix3-committed:unpaused").assertOk();
            assertEquals("running", docker("inspect", "-f", "{{.State.Status}}", "fix3-commit").assertOk().stdout().strip());
            String until = String.valueOf(System.currentTimeMillis() / 1000 + 1);
            List<String> actions = docker("events", "--since", since, "--until", until,
                    "--format", "{{.Type}} {{.Action}} {{.Actor.Attributes.name}}").assertOk().stdout().lines()
                    .filter(l -> l.startsWith("container ") && (l.endsWith(" fix3-commit") || l.contains(" commit")))
                    .map(l -> l.split(" ")[1]).filter(a -> List.of("pause", "unpause").contains(a)).toList();
            // Only the first commit paused: exactly one pause and one unpause.
            assertEquals(List.of("pause", "unpause"), actions);
        } finally {
            docker("rm", "-f", "fix3-commit");
            docker("rmi", "fix3-committed:paused", "fix3-committed:unpaused");
        }
    }
}
