package dev.berth.cli;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lean list path ({@link LeanEngine}: JDK Unix socket + jackson-core) against the engine
 * client's path, for one real daemon's state: the same stdout for every form of {@code ps} and
 * {@code images} it answers, and the engine client's wording and status wherever it steps aside.
 * {@code -D} (debug) turns the lean path off, so it gives the full path's output to compare with.
 */
class LeanListTest {
    private static final String BRIDGE = "br81lean";
    private static final String SUBNET = "10.81.1.0/24";

    static BusyboxOnBerth engine;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, SUBNET), home.resolve(".docker"));
        String ref = engine.ref();
        engine.docker("tag", ref, "clifast/lean:v2").assertOk();
        engine.docker("run", "-d", "--network", "none", "--name", "clifast-up", "-l", "clifast.role=web", ref, "sleep", "300")
                .assertOk();
        engine.docker("create", "--network", "none", "--name", "clifast-new", "-l", "clifast.role=job", ref, "true").assertOk();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.docker("rm", "-f", "clifast-up", "clifast-new");
                engine.close();
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", BRIDGE);
            }
        }
    }

    static CliRun.Result berth(Map<String, String> env, String... args) {
        CliRun run = new CliRun(null, home).env("DOCKER_HOST", engine.daemon().host()).systemClock();
        env.forEach(run::env);
        return run.run(args);
    }

    /** Lean and full path with the same arguments: same stdout and status; retried across a second's tick. */
    static void same(String... args) {
        List<String> debug = new ArrayList<>(List.of("-D"));
        debug.addAll(Arrays.asList(args));
        CliRun.Result lean = null;
        CliRun.Result full = null;
        int before = 0;
        for (int i = 0; i < 3; i++) {
            before = LeanEngine.answered;
            lean = berth(Map.of(), args);
            full = berth(Map.of(), debug.toArray(String[]::new));
            if (lean.out().equals(full.out())) {
                break;
            }
        }
        String what = String.join(" ", args);
        assertEquals(before + 1, LeanEngine.answered, "the lean path answered " + what);
        assertEquals(0, lean.status(), what + "\n" + lean.err());
        assertEquals(full.status(), lean.status(), what);
        assertEquals(full.out(), lean.out(), what);
        assertTrue(full.err().contains("DEBU "), "the full path ran for -D " + what);
        assertEquals("", lean.err(), what);
    }

    @Test
    void containerListsMatchTheFullPath() {
        same("ps");
        same("ps", "-a");
        same("ps", "-q");
        same("ps", "-aq");
        same("ps", "-a", "--no-trunc");
        same("container", "ls", "-a", "--format", "{{.Names}}|{{.Status}}|{{.Labels}}|{{.Mounts}}|{{.Networks}}");
        same("ps", "-a", "--format", "json");
        same("ps", "-a", "--format", "table {{.ID}}\t{{.Names}}\t{{.Label \"clifast.role\"}}");
        same("ps", "-a", "--filter", "label=clifast.role=job", "--filter", "status=created");
        same("ps", "-a", "--filter", "name=clifast up");
        same("ps", "-n", "1");
        same("container", "list", "-l", "-s");
    }

    @Test
    void imageListsMatchTheFullPath() {
        same("images");
        same("images", "-q");
        same("images", "--no-trunc");
        same("image", "ls", "-a", "--format", "{{.Repository}}:{{.Tag}} {{.ID}} {{.Size}}");
        same("images", "--format", "json");
        same("images", "clifast/lean");
        same("image", "list", "--filter", "reference=clifast/*", "--digests");
    }

    @Test
    void stepsAsideForUnknownFlagsAMissingSocketAndEngineErrors() throws Exception {
        int before = LeanEngine.answered;
        CliRun.Result flag = berth(Map.of(), "ps", "--bogus");
        assertEquals(125, flag.status());
        assertTrue(flag.err().startsWith("unknown flag: --bogus\n"), flag.err());

        Path missing = home.resolve("missing.sock");
        CliRun.Result gone = berth(Map.of("DOCKER_HOST", "unix://" + missing), "ps");
        assertEquals(1, gone.status());
        assertEquals("Cannot connect to the Berth engine at unix://" + missing + ". Is the daemon running?\n", gone.err());
        CliRun.Result goneImages = berth(Map.of(), "-H", "unix://" + missing, "images");
        assertEquals(1, goneImages.status());
        assertEquals(gone.err(), goneImages.err());

        // an engine refusal (a filter it does not know) comes back worded by the engine client
        CliRun.Result refused = berth(Map.of(), "ps", "--filter", "bogus=1");
        CliRun.Result refusedFull = berth(Map.of(), "-D", "ps", "--filter", "bogus=1");
        assertEquals(refusedFull.status(), refused.status());
        assertTrue(refused.status() != 0);
        assertTrue(refused.err().startsWith("Error response from daemon: "), refused.err());
        assertTrue(refusedFull.err().contains(refused.err().strip()), refusedFull.err());

        // a pinned API version is used as is; an invalid one is the engine client's error
        same("ps", "-q");
        CliRun.Result badVersion = berth(Map.of("DOCKER_API_VERSION", "latest"), "ps");
        assertEquals(1, badVersion.status());
        assertTrue(badVersion.err().contains("invalid API version \"latest\""), badVersion.err());
        assertEquals(before + 1, LeanEngine.answered, "only the one `ps -q` above went the lean way");
    }
}
