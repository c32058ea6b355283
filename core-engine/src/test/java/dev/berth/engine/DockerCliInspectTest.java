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
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real docker CLI looking into containers on Berth: stats, top, diff, cp both ways, commit, export. */
class DockerCliInspectTest {
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path config;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("ps");
        engine = BusyboxOnBerth.start(TestDaemon.start(), config);
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.docker("rmi", "-f", "inspect/committed:1");
            engine.close();
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    @Test
    void statsNoStreamShowsCpuMemoryAndPids() {
        docker("run", "-d", "--name", "inspect-busy", "--memory", "64m", ref, "sh", "-c", "while :; do :; done").assertOk();
        try {
            String line = docker("stats", "--no-stream", "--format", "{{.Name}}|{{.CPUPerc}}|{{.MemUsage}}|{{.PIDs}}",
                    "inspect-busy").assertOk().stdout().strip();
            String[] f = line.split("\\|");
            assertEquals("inspect-busy", f[0], line);
            Matcher cpu = Pattern.compile("(\\d+\\.\\d+)%").matcher(f[1]);
            assertTrue(cpu.matches(), line);
            double percent = Double.parseDouble(cpu.group(1));
            assertTrue(percent > 1 && percent <= 100.0 * Runtime.getRuntime().availableProcessors() + 1,
                    "a busy loop uses CPU: " + line);
            assertTrue(f[2].matches("[0-9.]+[KMG]?i?B / 64MiB"), "usage / the --memory limit: " + line);
            assertTrue(Integer.parseInt(f[3]) >= 1, line);
        } finally {
            docker("rm", "-f", "inspect-busy");
        }
    }

    @Test
    void topListsTheContainersProcessesOnly() {
        docker("run", "-d", "--name", "inspect-top", ref, "sleep", "301").assertOk();
        try {
            String top = docker("top", "inspect-top").assertOk().stdout();
            List<String> lines = top.lines().toList();
            assertTrue(lines.getFirst().contains("PID") && lines.getFirst().contains("CMD"), top);
            assertEquals(2, lines.size(), "the header and sleep only: " + top);
            assertTrue(lines.get(1).endsWith("sleep 301"), top);

            String custom = docker("top", "inspect-top", "-o", "pid,comm").assertOk().stdout();
            assertTrue(custom.lines().anyMatch(l -> l.strip().endsWith("sleep")), custom);
        } finally {
            docker("rm", "-f", "inspect-top");
        }
        var stopped = docker("top", "inspect-nonexistent");
        assertNotEquals(0, stopped.exitCode());
        assertTrue(stopped.stderr().contains("No such container"), stopped.stderr());
    }

    @Test
    void diffCpCommitAndExportOfAStoppedContainer() throws Exception {
        Path hostDir = Files.createDirectory(work.resolve("host-target"));
        docker("run", "--name", "inspect-files", ref, "sh", "-c",
                "mkdir /data && echo hi > /data/f && rm /etc/hello && ln -s / /escape && mkdir -p " + hostDir).assertOk();
        try {
            List<String> diff = docker("diff", "inspect-files").assertOk().stdout().lines().toList();
            assertTrue(diff.contains("A /data"), diff.toString());
            assertTrue(diff.contains("A /data/f"), diff.toString());
            assertTrue(diff.contains("C /etc"), diff.toString());
            assertTrue(diff.contains("D /etc/hello"), diff.toString());
            assertTrue(diff.contains("A /escape"), diff.toString());
            assertTrue(diff.contains("A " + hostDir), diff.toString());

            // cp out: a file into a directory, and a tar to stdout
            Path out = Files.createDirectory(work.resolve("out"));
            docker("cp", "inspect-files:/data/f", out.toString()).assertOk();
            assertEquals("hi\n", Files.readString(out.resolve("f")));
            docker("cp", "inspect-files:/data", out.resolve("datadir").toString()).assertOk();
            assertEquals("hi\n", Files.readString(out.resolve("datadir/f")));

            // cp in, then back out
            Path in = work.resolve("in.txt");
            Files.writeString(in, "from host\n");
            docker("cp", in.toString(), "inspect-files:/data/").assertOk();
            docker("cp", "inspect-files:/data/in.txt", out.resolve("back.txt").toString()).assertOk();
            assertEquals("from host\n", Files.readString(out.resolve("back.txt")));
            assertTrue(docker("diff", "inspect-files").assertOk().stdout().lines().toList().contains("A /data/in.txt"));

            // The container's symlink to / leads to the container's root, never the host's.
            docker("cp", in.toString(), "inspect-files:/escape" + hostDir + "/").assertOk();
            assertFalse(Files.exists(hostDir.resolve("in.txt")), "docker cp wrote through a container symlink onto the host");
            docker("cp", "inspect-files:" + hostDir + "/in.txt", out.resolve("inside.txt").toString()).assertOk();
            assertEquals("from host\n", Files.readString(out.resolve("inside.txt")), "it landed inside the container");

            var missing = docker("cp", "inspect-files:/no/such/file", out.toString());
            assertNotEquals(0, missing.exitCode());
            assertTrue(missing.stderr().contains("Could not find the file /no/such/file in container inspect-files"),
                    missing.stderr());

            // commit, then run the result
            String id = docker("commit", "-c", "ENV INSPECT_FOO=bar", "-m", "test commit", "inspect-files",
                    "inspect/committed:1").assertOk().stdout().strip();
            assertTrue(id.matches("sha256:[0-9a-f]{64}"), id);
            String ran = docker("run", "--rm", "inspect/committed:1", "sh", "-c", "cat /data/f /data/in.txt; echo $INSPECT_FOO;"
                    + " test -e /etc/hello || echo gone").assertOk().stdout();
            assertEquals("hi\nfrom host\nbar\ngone\n", ran);
            String history = docker("history", "--format", "{{.Comment}}", "inspect/committed:1").assertOk().stdout();
            assertTrue(history.lines().findFirst().orElse("").equals("test commit"), history);

            // export
            Path tar = work.resolve("export.tar");
            docker("export", "-o", tar.toString(), "inspect-files").assertOk();
            var listing = Processes.run(Map.of(), null, 60, "tar", "tf", tar.toString()).assertOk().stdout().lines().toList();
            assertTrue(listing.contains("data/f"), listing.toString());
            assertTrue(listing.contains("bin/busybox"), listing.toString());
            assertFalse(listing.contains("etc/hello"), listing.toString());
        } finally {
            docker("rm", "-f", "inspect-files");
        }
    }

    @Test
    void cpIntoARunningContainerAndASymlinkEscapeStaysInside() throws Exception {
        Path secret = work.resolve("secret.txt");
        Files.writeString(secret, "HOST SECRET\n");
        Path hostTarget = Files.createDirectory(work.resolve("live-host-target"));
        docker("run", "-d", "--name", "inspect-live", ref, "sh", "-c", "mkdir -p /data " + hostTarget
                + " && ln -s " + secret + " /leak && ln -s /../../.. /up && sleep 302").assertOk();
        try {
            Path out = Files.createDirectory(work.resolve("live-out"));
            waitForFile("inspect-live", "/up");
            // -L follows /leak inside the container, where that path does not exist.
            var leak = docker("cp", "-L", "inspect-live:/leak", out.resolve("leak").toString());
            assertNotEquals(0, leak.exitCode(), leak.stdout());
            assertFalse(Files.exists(out.resolve("leak")) && Files.readString(out.resolve("leak")).contains("HOST SECRET"));
            // Without -L the link itself comes out.
            docker("cp", "inspect-live:/leak", out.resolve("link").toString()).assertOk();
            assertTrue(Files.isSymbolicLink(out.resolve("link")));

            Path in = work.resolve("live-in.txt");
            Files.writeString(in, "live\n");
            docker("cp", in.toString(), "inspect-live:/up" + hostTarget + "/").assertOk();
            assertFalse(Files.exists(hostTarget.resolve("live-in.txt")), "\"..\" in a symlink climbed out of the container");
            docker("cp", "inspect-live:" + hostTarget + "/live-in.txt", out.resolve("back").toString()).assertOk();
            assertEquals("live\n", Files.readString(out.resolve("back")));
        } finally {
            docker("rm", "-f", "inspect-live");
        }
    }

    @Test
    void statsStreamOneReadingPerSecondUntilTheContainerStops() throws Exception {
        docker("run", "-d", "--name", "inspect-stream", ref, "sleep", "303").assertOk();
        Process curl = new ProcessBuilder(Processes.requireBinary("curl"), "-sSN", "--unix-socket",
                engine.daemon().socket().toString(), "http://localhost/containers/inspect-stream/stats")
                .redirectErrorStream(true).start();
        try (var lines = new java.io.BufferedReader(new java.io.InputStreamReader(curl.getInputStream()))) {
            String firstLine = lines.readLine();
            assertTrue(firstLine != null && firstLine.startsWith("{"), "curl: " + firstLine);
            var first = dev.berth.images.Json.MAPPER.readTree(firstLine);
            String secondLine = lines.readLine();
            assertTrue(secondLine != null && secondLine.startsWith("{"), "curl: " + firstLine + "\n" + secondLine);
            var second = dev.berth.images.Json.MAPPER.readTree(secondLine);
            assertEquals("/inspect-stream", first.path("name").asText());
            assertEquals("0001-01-01T00:00:00Z", first.path("preread").asText(), "no previous reading yet");
            assertEquals(first.path("read").asText(), second.path("preread").asText());
            assertEquals(first.path("cpu_stats").path("cpu_usage").path("total_usage").asLong(),
                    second.path("precpu_stats").path("cpu_usage").path("total_usage").asLong());
            assertTrue(second.path("cpu_stats").path("system_cpu_usage").asLong() > 0, second.toString());
            assertTrue(second.path("cpu_stats").path("online_cpus").asInt() >= 1, second.toString());
            assertTrue(second.path("memory_stats").path("usage").asLong() > 0, second.toString());
            assertTrue(second.path("memory_stats").path("limit").asLong() > 0, second.toString());
            assertTrue(second.path("memory_stats").path("stats").has("total_inactive_file"), second.toString());
            assertEquals(1, second.path("pids_stats").path("current").asInt(), second.toString());

            docker("stop", "-t", "1", "inspect-stream").assertOk();
            assertTrue(curl.waitFor(30, java.util.concurrent.TimeUnit.SECONDS), "the stream ends when the container stops");
        } finally {
            curl.destroyForcibly();
            docker("rm", "-f", "inspect-stream");
        }
    }

    private static void waitForFile(String container, String path) throws InterruptedException {
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            if (docker("diff", container).stdout().lines().anyMatch(l -> l.equals("A " + path))) {
                return;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(path + " did not appear in " + container);
    }
}
