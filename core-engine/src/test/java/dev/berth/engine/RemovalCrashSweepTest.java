package dev.berth.engine;

import dev.berth.engine.catalog.Catalog;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.ChildDaemon;
import dev.berth.engine.testing.CniChains;
import dev.berth.engine.testing.Processes;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.LocalRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code kill -9} of the daemon in the middle of a removal, at a deterministic point (the test-only
 * {@code berth.test.pauseRemovalAt} hook parks the removing thread there): the removal was marked in the
 * catalog first, and the next daemon finishes it before it answers: no row, directory, overlay mount,
 * runc state or network namespace is left, and the published host port is free again.
 */
class RemovalCrashSweepTest {
    static final String BRIDGE = "br87b";
    static final String SUBNET = "10.87.2.0/24";

    @TempDir
    Path work;
    private final Set<ChildDaemon> hooked = new java.util.HashSet<>();

    @Test
    void aRemovalCutShortByAKillIsFinishedAtTheNextStart() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Processes.requireBinary("iptables");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "rt87");
        Path socket = dir.resolve("d.sock");
        Path data = dir.resolve("data");
        Path config = Files.createDirectories(work.resolve("docker-config"));
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "berth-rt87-child.log");
        Files.deleteIfExists(log);
        Map<String, Set<String>> chainsBefore = new HashMap<>();
        for (String table : List.of("nat", "filter")) {
            chainsBefore.put(table, CniChains.chains(table));
        }
        List<ChildDaemon> started = new ArrayList<>();
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Mode.OPEN)) {
            String ref = registry.push(TestImages.busybox(), "rt87/busybox:1");

            // 1. docker rm -f of a running container with a published port, killed right after the mark.
            Path marked = dir.resolve("marked.signal");
            ChildDaemon d = child(started, socket, data, log, List.of("-Dberth.test.pauseRemovalAt=marked:" + marked));
            Processes.docker(d.host(), config, "pull", ref).assertOk();
            int port = freePort();
            String id = Processes.docker(d.host(), config, "run", "-d", "--name", "rt-crash-rm", "-p", port + ":80", ref,
                    "sh", "-c", "mkdir /w; echo up > /w/index.html; exec httpd -f -p 80 -h /w").assertOk().stdout().strip();
            await("httpd answers", () -> "up".equals(get(port)));
            String host = d.host();
            CompletableFuture<Processes.Result> rm = CompletableFuture.supplyAsync(
                    () -> Processes.docker(host, config, "rm", "-f", "rt-crash-rm"));
            await("the removal reaches its crash point", () -> Files.exists(marked));
            assertEquals(id, Files.readString(marked));
            d.kill();
            assertNotEquals(0, rm.get(30, TimeUnit.SECONDS).exitCode(), "the rm died with the daemon");
            assertEquals(List.of(id), pendingRemovals(data), "the removal was marked before anything was cleaned up");
            assertTrue(Files.isDirectory(data.resolve("containers").resolve(id)), "its files were still there at the kill");

            // The next daemon already parks --rm cleanups for part 2; a start-up sweep and a plain rm never get there.
            Path answered = dir.resolve("answered.signal");
            d = child(started, socket, data, log, List.of("-Dberth.test.pauseRemovalAt=answered:" + answered));
            assertEquals("", Processes.docker(d.host(), config, "ps", "-aq", "--filter", "name=rt-crash-rm").assertOk().stdout().strip());
            assertLeftNothingOf(data, id);
            // The host port is free again: a new container can publish it.
            String again = Processes.docker(d.host(), config, "run", "-d", "--name", "rt-crash-again", "-p", port + ":80", ref,
                    "sh", "-c", "mkdir /w; echo again > /w/index.html; exec httpd -f -p 80 -h /w").assertOk().stdout().strip();
            await("the port serves the new container", () -> "again".equals(get(port)));
            Processes.docker(d.host(), config, "rm", "-f", again).assertOk();
            assertLeftNothingOf(data, again);

            // 2. docker run --rm: answered (the run has its exit code), killed before the files went.
            var run = Processes.docker(d.host(), config, "run", "--rm", "--name", "rt-crash-rmrun", ref, "sh", "-c", "echo bye; exit 3");
            assertEquals(3, run.exitCode(), run.stderr());
            assertEquals("bye\n", run.stdout());
            await("the cleanup reaches its crash point", () -> Files.exists(answered));
            String rmId = Files.readString(answered);
            d.kill();
            assertEquals(List.of(rmId), pendingRemovals(data), "the --rm removal stays marked until its files are gone");
            assertTrue(Files.isDirectory(data.resolve("containers").resolve(rmId)), "its files were still there at the kill");
            // And a directory the catalog never knew (a crash mid-create, or an engine without the journal).
            String orphan = "ab".repeat(32);
            Files.writeString(Files.createDirectories(data.resolve("containers").resolve(orphan)).resolve("ctr.log"), "x");

            d = child(started, socket, data, log, List.of());
            assertLeftNothingOf(data, rmId);
            assertLeftNothingOf(data, orphan);
            assertEquals("", Processes.docker(d.host(), config, "ps", "-aq").assertOk().stdout().strip());
        } catch (Throwable t) {
            throw new AssertionError(t.getMessage() + "\ndaemon log:\n" + (Files.exists(log) ? Files.readString(log) : ""), t);
        } finally {
            cleanUp(started, socket, data, log, config, dir, chainsBefore);
        }
    }

    private ChildDaemon child(List<ChildDaemon> started, Path socket, Path data, Path log, List<String> jvm)
            throws IOException, InterruptedException {
        ChildDaemon d = ChildDaemon.startWithBridge(socket, data, log, BRIDGE, SUBNET, jvm);
        started.add(d);
        if (!jvm.isEmpty()) {
            hooked.add(d);
        }
        return d;
    }

    private static void assertLeftNothingOf(Path data, String id) throws IOException {
        assertFalse(Files.exists(data.resolve("containers").resolve(id)), "the container's directory is gone");
        assertFalse(Files.exists(data.resolve("runtime/runc").resolve(id)), "runc's state is gone");
        assertFalse(Files.exists(data.resolve("runtime/exits").resolve(id)), "conmon's exit file is gone");
        assertFalse(Files.readString(Path.of("/proc/self/mountinfo")).contains(id), "no mount of the container is left");
        assertFalse(Files.exists(Path.of("/run/netns", "berth-" + id.substring(0, 12))), "no network namespace is left");
        assertEquals(List.of(), pendingRemovals(data), "no removal is left marked");
    }

    private static List<String> pendingRemovals(Path data) {
        Catalog catalog = new Catalog(data.resolve("catalog.db"));
        try {
            return catalog.read(c -> {
                List<String> ids = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("SELECT id FROM container_removals"); ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        ids.add(rs.getString(1));
                    }
                }
                return ids;
            });
        } finally {
            catalog.close();
        }
    }

    private void cleanUp(List<ChildDaemon> started, Path socket, Path data, Path log, Path config, Path dir,
                         Map<String, Set<String>> chainsBefore) throws Exception {
        try {
            // The last daemon, when it is alive, runs without a hook (or stopped the test before its own): it can clean up.
            ChildDaemon last = started.isEmpty() ? null : started.getLast();
            started.stream().filter(c -> c != last).forEach(ChildDaemon::kill);
            if (Files.exists(data.resolve("catalog.db"))) {
                ChildDaemon d = last != null && last.alive() && !hooked.contains(last) ? last
                        : ChildDaemon.startWithBridge(socket, data, log, BRIDGE, SUBNET);
                try {
                    String ids = Processes.docker(d.host(), config, "ps", "-aq").stdout().strip();
                    for (String id : ids.isEmpty() ? new String[0] : ids.split("\\s+")) {
                        Processes.docker(d.host(), config, "rm", "-f", id);
                    }
                } finally {
                    d.kill();
                    if (last != null) {
                        last.kill();
                    }
                }
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", BRIDGE);
            }
            for (String table : List.of("nat", "filter")) {
                CniChains.removeCreated(table, chainsBefore.get(table));
            }
            try {
                dev.berth.images.layer.LayerDirs.deleteRecursively(dir);
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    static String get(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            s.setSoTimeout(3000);
            s.getOutputStream().write("GET / HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String r = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int i = r.indexOf("\r\n\r\n");
            return i < 0 ? null : r.substring(i + 4).strip();
        } catch (IOException e) {
            return null;
        }
    }

    interface Check {
        boolean ok() throws Exception;
    }

    static void await(String what, Check condition) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.ok()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
