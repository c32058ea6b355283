package dev.berth.cli;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code berth system prune} beside {@code docker system prune} on one Berth daemon: the same question,
 * and, for the same state built twice, the same report (ids aside) and the same state left behind.
 */
class SystemPruneTest {
    private static final String NET_BRIDGE = "br96";

    static BusyboxOnBerth engine;
    static String ref;
    static final Map<String, Set<String>> chainsBefore = new HashMap<>();
    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("iptables");
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, CniChains.chains(table));
        }
        engine = BusyboxOnBerth.start(TestDaemon.start(), home.resolve(".docker"));
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.docker("network", "rm", "cli7-net");
                engine.close();
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", NET_BRIDGE))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", NET_BRIDGE);
            }
            for (String table : List.of("nat", "filter")) {
                if (chainsBefore.containsKey(table)) {
                    CniChains.removeCreated(table, chainsBefore.get(table));
                }
            }
        }
    }

    static CliRun.Result berth(String stdin, String... args) {
        return new CliRun(null, home).env("DOCKER_HOST", engine.daemon().host()).stdin(stdin).run(args);
    }

    static Processes.Result docker(String stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Processes.requireBinary("docker")));
        cmd.addAll(List.of(args));
        return Processes.run(Map.of("DOCKER_HOST", engine.daemon().host(), "DOCKER_CONFIG", home.resolve(".docker").toString(),
                "DOCKER_CLI_HINTS", "false"), stdin.getBytes(StandardCharsets.UTF_8), 120, cmd.toArray(String[]::new));
    }

    @Test
    void theQuestionIsDockersAndNoLeavesEverything() {
        engine.docker("create", "--network", "none", "--name", "cli7-asked", ref, "true").assertOk();
        try {
            for (List<String> flags : List.of(List.<String>of(), List.of("--volumes"), List.of("-a"),
                    List.of("-a", "--volumes", "--filter", "label=b=1", "--filter", "label!=a", "--filter", "label=a"))) {
                List<String> args = new ArrayList<>(List.of("system", "prune"));
                args.addAll(flags);
                Processes.Result d = docker("n\n", args.toArray(String[]::new));
                CliRun.Result b = berth("n\n", args.toArray(String[]::new));
                assertEquals(d.stdout(), b.out(), String.join(" ", args) + "\n" + d.stderr());
                assertEquals(d.exitCode(), b.status(), d + "\n" + b);
                assertTrue(b.out().startsWith("WARNING! This will remove:\n  - all stopped containers\n"), b.out());
            }
            Processes.Result d = docker("", "system", "prune", "--volumes", "--filter", "until=1h");
            CliRun.Result b = berth("", "system", "prune", "--volumes", "--filter", "until=1h");
            assertEquals(d.exitCode(), b.status(), d + "\n" + b);
            assertEquals(d.stderr(), b.err());
            assertEquals("cli7-asked\n", engine.docker("ps", "-a", "--filter", "name=cli7-asked", "--format", "{{.Names}}")
                    .assertOk().stdout(), "a no removed nothing");
        } finally {
            engine.docker("rm", "-f", "cli7-asked");
        }
    }

    @Test
    void builderPruneAsksAndReportsAsDocker() {
        for (List<String> args : List.of(List.of("builder", "prune"), List.of("builder", "prune", "-a"))) {
            Processes.Result d = docker("n\n", args.toArray(String[]::new));
            CliRun.Result b = berth("n\n", args.toArray(String[]::new));
            assertEquals(d.stdout(), b.out(), String.join(" ", args) + "\n" + d.stderr());
            assertEquals(d.exitCode(), b.status(), d + "\n" + b);
        }
        assertEquals(docker("", "builder", "prune", "-f").assertOk().stdout(), berth("", "builder", "prune", "-f").out());
        assertTrue(berth("", "builder", "prune", "-f").out().endsWith("Total reclaimed space: 0B\n"));
    }

    /** Two stopped containers (one with an anonymous volume), an unused network, a dangling image. */
    private static void seed() {
        engine.docker("run", "--network", "none", "--name", "cli7-exited", "-v", "/data", ref, "true").assertOk();
        engine.docker("create", "--network", "none", "--name", "cli7-created", "-l", "cli7=yes", ref, "true").assertOk();
        engine.docker("network", "create", "--subnet", "10.96.0.128/25", "-o", "com.docker.network.bridge.name=" + NET_BRIDGE,
                "cli7-net").assertOk();
        engine.docker("commit", "cli7-exited").assertOk();
        engine.docker("run", "-d", "--network", "none", "--name", "cli7-running", ref, "sleep", "300").assertOk();
    }

    @Test
    void pruneReportsWhatWentInDockersOrderAndWords() {
        try {
            seed();
            String byDocker = docker("", "system", "prune", "-f", "--volumes").assertOk().stdout();
            String leftByDocker = state();
            engine.docker("rm", "-f", "cli7-running").assertOk();
            seed();
            CliRun.Result b = berth("", "system", "prune", "-f", "--volumes");
            assertEquals(0, b.status(), b.toString());
            assertEquals(ids(byDocker), ids(b.out()));
            assertEquals(leftByDocker, state());
            assertTrue(ids(b.out()).matches("Deleted Containers:\nID\nID\n\nDeleted Networks:\ncli7-net\n\nDeleted Volumes:\nID\n\n"
                    + "Deleted Images:\n(deleted: sha256:ID\n)+\nTotal reclaimed space: [0-9.]+k?B\n"), b.out());
            assertFalse(state().contains("cli7-exited"));
            assertTrue(state().contains("cli7-running"), "a running container stays");
            // nothing left to prune: both say only the total
            assertEquals(docker("", "system", "prune", "-f").assertOk().stdout(), berth("", "system", "prune", "-f").out());
            assertEquals("Total reclaimed space: 0B\n", berth("", "system", "prune", "-f").out());
        } finally {
            engine.docker("rm", "-f", "cli7-running", "cli7-exited", "cli7-created");
        }
    }

    private static String ids(String out) {
        return out.replaceAll("[0-9a-f]{64}", "ID");
    }

    private static String state() {
        return engine.docker("ps", "-a", "--format", "{{.Names}} {{.State}}").assertOk().stdout()
                + engine.docker("network", "ls", "--filter", "name=cli7", "--format", "{{.Name}}").assertOk().stdout()
                + engine.docker("volume", "ls", "-q").assertOk().stdout().lines().count() + " volumes\n"
                + engine.docker("images", "-a", "--format", "{{.Repository}}:{{.Tag}}").assertOk().stdout();
    }
}
