package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.ChildDaemon;
import dev.berth.engine.testing.Processes;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.LocalRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code kill -9} of the daemon: containers keep running under conmon, and the next daemon re-adopts
 * them from the catalog and conmon's exit files: state, exit codes of those that exited meanwhile,
 * logs that kept growing, published ports still served, and restart policies applied.
 */
class DaemonReadoptionTest {
    static final String BRIDGE = "bl1";
    static final String SUBNET = "10.61.1.0/24";

    @TempDir
    Path work;

    @Test
    void aKilledDaemonsContainersAreReadopted() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bl");
        Path socket = dir.resolve("d.sock");
        Path data = dir.resolve("data");
        Path config = work.resolve("docker-config");
        Files.createDirectories(config);
        Path log = Path.of(System.getProperty("java.io.tmpdir"), "berth-readoption-child.log");
        Files.deleteIfExists(log);
        ChildDaemon daemon = null;
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Mode.OPEN)) {
            String ref = registry.push(TestImages.busybox(), "readopt/busybox:1");
            daemon = ChildDaemon.startWithBridge(socket, data, log, BRIDGE, SUBNET);
            String host = daemon.host();
            Processes.docker(host, config, "pull", ref).assertOk();
            Processes.docker(host, config, "run", "-d", "--name", "lifecycle-web", "-p", "127.0.0.1::80", ref, "sh", "-c",
                    "(i=0; while true; do echo tick $i; i=$((i+1)); sleep 0.1; done) & "
                            + "mkdir -p /www; echo hello > /www/index.html; exec httpd -f -p 80 -h /www").assertOk();
            // These exit on SIGUSR1, which the test sends through runc itself once the daemon is dead.
            String exitsId = Processes.docker(host, config, "run", "-d", "--name", "lifecycle-exits", ref, "sh", "-c",
                    "trap 'exit 42' USR1; echo bye; while true; do sleep 0.1; done").assertOk().stdout().strip();
            String alwaysId = Processes.docker(host, config, "run", "-d", "--name", "lifecycle-always-dies", "--restart", "always",
                    ref, "sh", "-c", "trap 'exit 1' USR1; echo up; while true; do sleep 0.1; done").assertOk().stdout().strip();
            int port = Integer.parseInt(Processes.docker(host, config, "inspect", "-f",
                    "{{(index (index .NetworkSettings.Ports \"80/tcp\") 0).HostPort}}", "lifecycle-web").assertOk().stdout().strip());
            String webId = inspect(host, config, "lifecycle-web", "{{.Id}}");
            await("httpd", () -> "hello\n".equals(get(port)));
            await("the traps are set", () -> Processes.docker(host, config, "logs", "lifecycle-always-dies").stdout().equals("up\n")
                    && Processes.docker(host, config, "logs", "lifecycle-exits").stdout().equals("bye\n"));

            daemon.kill();
            assertFalse(daemon.alive());
            // While no daemon runs: the port is still served, and two containers exit into conmon's files.
            assertEquals("hello\n", get(port));
            String runcRoot = "--root=" + data.resolve("runtime/runc");
            Processes.run(Map.of(), null, 30, "runc", runcRoot, "kill", exitsId, "USR1").assertOk();
            Processes.run(Map.of(), null, 30, "runc", runcRoot, "kill", alwaysId, "USR1").assertOk();
            Path exits = data.resolve("runtime/exits");
            await("the exits while the daemon is down", () -> Files.exists(exits.resolve(exitsId)) && Files.exists(exits.resolve(alwaysId)));
            long ticksBefore = ticks(Files.readString(data.resolve("containers").resolve(id(data, "lifecycle-web")).resolve("ctr.log")));

            daemon = ChildDaemon.startWithBridge(socket, data, log, BRIDGE, SUBNET);
            assertEquals("running", inspect(host, config, "lifecycle-web", "{{.State.Status}}"));
            assertEquals("exited 42", inspect(host, config, "lifecycle-exits", "{{.State.Status}} {{.State.ExitCode}}"));
            assertEquals("bye\n", Processes.docker(host, config, "logs", "lifecycle-exits").assertOk().stdout());
            await("the always container restarted by its policy",
                    () -> inspect(host, config, "lifecycle-always-dies", "{{.State.Status}}").equals("running"));
            assertEquals("hello\n", get(port), "the published port survives the re-adoption");
            String logs = Processes.docker(host, config, "logs", "lifecycle-web").assertOk().stdout();
            assertTrue(logs.startsWith("tick 0\n") && ticks(logs) > ticksBefore, "the log kept growing: " + ticks(logs));

            Processes.docker(host, config, "stop", "-t", "1", "lifecycle-web").assertOk();
            assertEquals("exited", inspect(host, config, "lifecycle-web", "{{.State.Status}}"),
                    "a re-adopted container is stopped like any other");
            Processes.docker(host, config, "rm", "-f", "lifecycle-web", "lifecycle-exits", "lifecycle-always-dies").assertOk();
            assertTrue(get(port) == null, "the port went with the container");
            // Re-adopted, exited-while-down and policy-restarted containers alike: CNI DEL took their
            // masquerade and port rules (a leak here once left CNI-* chains behind on every run).
            String nat = dev.berth.engine.testing.CniChains.iptables("nat");
            for (String cid : new String[] {webId, exitsId, alwaysId}) {
                assertFalse(nat.contains(cid), "a nat rule still names container " + cid + ":\n" + nat);
            }
        } catch (Throwable t) {
            throw new AssertionError(t.getMessage() + "\ndaemon log:\n" + (Files.exists(log) ? Files.readString(log) : ""), t);
        } finally {
            cleanUp(daemon, dir, socket, data, log);
        }
    }

    /** Removes the containers through a live daemon (a new one if the test left none), then the bridge and the files. */
    private void cleanUp(ChildDaemon daemon, Path dir, Path socket, Path data, Path log) throws Exception {
        try {
            if (daemon == null || !daemon.alive()) {
                daemon = ChildDaemon.startWithBridge(socket, data, log, BRIDGE, SUBNET);
            }
            Path c = work.resolve("cleanup");
            Files.createDirectories(c);
            String ids = Processes.docker(daemon.host(), c, "ps", "-aq").stdout().strip();
            for (String id : ids.isEmpty() ? new String[0] : ids.split("\\s+")) {
                Processes.docker(daemon.host(), c, "rm", "-f", id);
            }
        } finally {
            if (daemon != null) {
                daemon.close();
            }
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", BRIDGE);
            }
            try {
                dev.berth.images.layer.LayerDirs.deleteRecursively(dir);
            } catch (IOException e) {
                System.err.println("could not delete " + dir + ": " + e);
            }
        }
    }

    static String id(Path data, String name) throws IOException {
        try (var s = Files.list(data.resolve("containers"))) {
            for (Path p : s.toList()) {
                if (Files.exists(p.resolve("ctr.log")) && Files.readString(p.resolve("ctr.log")).contains("tick 0")) {
                    return p.getFileName().toString();
                }
            }
        }
        throw new IllegalStateException("no container logging ticks for " + name);
    }

    static long ticks(String log) {
        return log.lines().filter(l -> l.contains("tick ")).count();
    }

    static String inspect(String host, Path config, String name, String format) {
        return Processes.docker(host, config, "inspect", "-f", format, name).assertOk().stdout().strip();
    }

    static String get(int port) {
        try {
            HttpClient c = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();
            return c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/")).timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    static void await(String what, Supplier<Boolean> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.get()) {
            if (System.nanoTime() > deadline) {
                fail("timed out waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
