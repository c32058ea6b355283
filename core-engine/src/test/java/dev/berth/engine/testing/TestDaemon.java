package dev.berth.engine.testing;

import dev.berth.engine.Daemon;
import dev.berth.engine.DaemonOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** A real daemon on a private socket and data root, for tests. Closing stops it and deletes both. */
public final class TestDaemon implements AutoCloseable {
    private final Path dir;
    private final Path dataRoot;
    private final Path socket;
    private Daemon daemon;
    /** Off unless asked for: a test daemon must not touch the host's default bridge (berth0). */
    private String bridgeName = "";
    private String bridgeSubnet;
    private dev.berth.registry.RetryPolicy registryRetry;

    private TestDaemon(Path dir, Path socket) {
        this.dir = dir;
        this.dataRoot = dir.resolve("data");
        this.socket = socket;
    }

    public static TestDaemon start() throws IOException, InterruptedException {
        // Unix socket paths are limited to 108 bytes: keep the directory short.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bd");
        TestDaemon d = new TestDaemon(dir, dir.resolve("berth.sock"));
        d.restart();
        return d;
    }

    /** A daemon whose default bridge network uses this device and subnet rather than Berth's defaults. */
    public static TestDaemon startWithBridge(String bridgeName, String bridgeSubnet) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bd");
        TestDaemon d = new TestDaemon(dir, dir.resolve("berth.sock"));
        d.bridgeName = bridgeName;
        d.bridgeSubnet = bridgeSubnet;
        d.restart();
        return d;
    }

    /** A daemon whose registry calls retry with {@code policy}, e.g. FAST so a dead registry fails in milliseconds. */
    public static TestDaemon startWithRegistryRetry(dev.berth.registry.RetryPolicy policy) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "bd");
        TestDaemon d = new TestDaemon(dir, dir.resolve("berth.sock"));
        d.registryRetry = policy;
        d.restart();
        return d;
    }

    /** A daemon over an existing directory (socket {@code d.sock}, data root {@code data}), e.g. after a crash. */
    public static TestDaemon at(Path dir) throws IOException, InterruptedException {
        TestDaemon d = new TestDaemon(dir, dir.resolve("d.sock"));
        d.restart();
        return d;
    }

    /** Starts (again) on the same data root, as a restarted daemon would. */
    public void restart() throws IOException, InterruptedException {
        stop();
        daemon = Daemon.start(new DaemonOptions(socket, dataRoot, List.of(), true, bridgeName, bridgeSubnet, registryRetry));
    }

    /** Leftovers of a failed assertion must not outlive a test as running containers. */
    public void removeAllContainers(Path dockerConfig) {
        String ids = Processes.docker(host(), dockerConfig, "ps", "-aq").stdout().strip();
        for (String id : ids.isEmpty() ? new String[0] : ids.split("\\s+")) {
            Processes.docker(host(), dockerConfig, "rm", "-f", id);
        }
    }

    public void stop() {
        if (daemon != null) {
            daemon.close();
            daemon = null;
        }
    }

    public Daemon daemon() {
        return daemon;
    }

    public Path socket() {
        return socket;
    }

    public Path dataRoot() {
        return dataRoot;
    }

    public String host() {
        return "unix://" + socket;
    }

    @Override
    public void close() throws IOException {
        stop();
        dev.berth.images.layer.LayerDirs.deleteRecursively(dir);
    }
}
