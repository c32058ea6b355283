package dev.berth.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code stats}, {@code events}, {@code system df} and {@code container prune}'s reclaimed space: berth
 * beside the real docker CLI on one real Berth engine (busybox containers), docker's output the oracle.
 */
class StatsEventsDfOnARealEngineTest {
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), home.resolve(".docker"));
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            for (String n : List.of("cli7b-stats", "cli7b-ev", "cli7b-df", "cli7b-p1", "cli7b-p2")) {
                engine.docker("rm", "-f", n);
            }
            engine.docker("volume", "rm", "-f", "cli7b-vol");
            engine.close();
        }
    }

    static CliRun.Result berth(String... args) {
        return new CliRun(null, home).systemClock().env("DOCKER_HOST", engine.daemon().host()).stdin("").run(args);
    }

    static Processes.Result docker(String... args) {
        List<String> cmd = new ArrayList<>(List.of(Processes.requireBinary("docker")));
        cmd.addAll(List.of(args));
        return Processes.run(Map.of("DOCKER_HOST", engine.daemon().host(), "DOCKER_CONFIG", home.resolve(".docker").toString(),
                "DOCKER_CLI_HINTS", "false"), new byte[0], 60, cmd.toArray(String[]::new));
    }

    @Test
    void statsNoStreamHasDockersColumnsAndRows() throws Exception {
        engine.docker("run", "-d", "--network", "none", "--name", "cli7b-stats", ref, "sleep", "300").assertOk();
        String d = docker("stats", "--no-stream").assertOk().stdout();
        CliRun.Result b = berth("stats", "--no-stream");
        assertEquals(0, b.status(), b.toString());
        String[] dl = d.split("\n");
        String[] bl = b.out().split("\n");
        assertEquals(dl[0], bl[0], "header\n" + d + "\n" + b.out());
        assertEquals(dl.length, bl.length, d + "\n" + b.out());
        // CONTAINER ID and NAME are fixed; the usage figures drift between two samples but must parse
        assertEquals(dl[1].split("\\s+")[0] + " " + dl[1].split("\\s+")[1], bl[1].split("\\s+")[0] + " " + bl[1].split("\\s+")[1]);
        assertTrue(bl[1].matches("[0-9a-f]{12}\\s+cli7b-stats\\s+[0-9.]+%\\s+[0-9.]+[KMG]?i?B / [0-9.]+[KMGT]?i?B\\s+[0-9.]+%\\s+"
                + "[0-9.]+[kMG]?B / [0-9.]+[kMG]?B\\s+[0-9.]+[kMG]?B / [0-9.]+[kMG]?B\\s+\\d+"), bl[1]);
        String fmt = "{{.Name}} {{.PIDs}}";
        assertEquals(docker("stats", "--no-stream", "--format", fmt).assertOk().stdout(), berth("stats", "--no-stream", "--format", fmt).out());
        ObjectMapper json = new ObjectMapper();
        JsonNode dj = json.readTree(docker("stats", "--no-stream", "--format", "{{json .}}").assertOk().stdout());
        JsonNode bj = json.readTree(berth("stats", "--no-stream", "--format", "{{json .}}").out());
        assertEquals(keys(dj), keys(bj));
        assertEquals(dj.get("Name"), bj.get("Name"));
        assertEquals(dj.get("ID"), bj.get("ID"));
    }

    private static TreeSet<String> keys(JsonNode n) {
        TreeSet<String> k = new TreeSet<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
            k.add(it.next());
        }
        return k;
    }

    @Test
    void eventsBetweenTwoTimesAreDockers() throws Exception {
        long t0 = System.currentTimeMillis() / 1000 - 1;
        engine.docker("create", "--network", "none", "--name", "cli7b-ev", ref, "sleep", "300").assertOk();
        engine.docker("start", "cli7b-ev").assertOk();
        engine.docker("stop", "-t", "1", "cli7b-ev").assertOk();
        long t1 = System.currentTimeMillis() / 1000 + 1;
        // --until in the past only: wait for it to pass so both CLIs see a closed window
        while (System.currentTimeMillis() / 1000 <= t1) {
            Thread.sleep(100);
        }
        String since = Long.toString(t0);
        String until = Long.toString(t1);
        List<List<String>> variants = List.of(
                List.of(),
                List.of("--filter", "type=container", "--filter", "event=start"),
                List.of("--filter", "type=container", "--format", "{{.Action}} {{.Actor.Attributes.name}}"));
        for (List<String> extra : variants) {
            List<String> args = new ArrayList<>(List.of("events", "--since", since, "--until", until));
            args.addAll(extra);
            String d = docker(args.toArray(String[]::new)).assertOk().stdout();
            CliRun.Result b = berth(args.toArray(String[]::new));
            assertEquals(0, b.status(), b.toString());
            assertEquals(d, b.out(), String.join(" ", args));
            assertTrue(d.contains("cli7b-ev"), d);
        }
    }

    @Test
    void systemDfIsDockers() {
        engine.docker("volume", "create", "cli7b-vol").assertOk();
        engine.docker("run", "--network", "none", "--name", "cli7b-df", "-v", "cli7b-vol:/v", ref, "sh", "-c",
                "echo hi > /v/f; echo data > /f").assertOk();
        String d = docker("system", "df").assertOk().stdout();
        CliRun.Result b = berth("system", "df");
        assertEquals(0, b.status(), b.toString());
        assertEquals(d, b.out());
        String dv = docker("system", "df", "-v").assertOk().stdout();
        CliRun.Result bv = berth("system", "df", "-v");
        assertEquals(0, bv.status(), bv.toString());
        // CREATED/STATUS columns tick with the clock; compare everything else
        assertEquals(clockless(dv), clockless(bv.out()));
        assertTrue(dv.contains("cli7b-vol"), dv);
        assertTrue(dv.contains("cli7b-df"), dv);
    }

    private static String clockless(String s) {
        return s.replaceAll("(Less than a second|About a minute|\\d+ seconds?|\\d+ minutes?) ago", "T ago")
                .replaceAll(" +", " ");
    }

    @Test
    void containerPruneReportsTheWritableLayers() {
        engine.docker("run", "--network", "none", "--name", "cli7b-p1", "-l", "cli7b=prune", ref, "sh", "-c",
                "head -c 20000 /dev/zero > /big").assertOk();
        String d = docker("container", "prune", "-f", "--filter", "label=cli7b=prune").assertOk().stdout();
        assertTrue(d.matches("(?s)Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 2\\d(\\.\\d+)?kB\n"), d);
        engine.docker("run", "--network", "none", "--name", "cli7b-p2", "-l", "cli7b=prune", ref, "sh", "-c",
                "head -c 20000 /dev/zero > /big").assertOk();
        CliRun.Result b = berth("container", "prune", "-f", "--filter", "label=cli7b=prune");
        assertEquals(0, b.status(), b.toString());
        assertTrue(b.out().matches("(?s)Deleted Containers:\n[0-9a-f]{64}\n\nTotal reclaimed space: 2\\d(\\.\\d+)?kB\n"), b.out());
        assertNotEquals("", b.out());
    }
}
