package dev.berth.engine.testing;

import dev.berth.engine.Daemon;
import dev.berth.engine.DaemonOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A daemon in its own JVM, so a test can {@code kill -9} it the way a crash or the OOM killer would.
 * {@link #main} is what runs in the child.
 */
public final class ChildDaemon implements AutoCloseable {
    private final Process process;
    private final Path socket;

    private ChildDaemon(Process process, Path socket) {
        this.process = process;
        this.socket = socket;
    }

    public static void main(String[] args) throws Exception {
        // Optional: a bridge device and subnet for the default bridge network (off without them).
        Daemon.run(new DaemonOptions(Path.of(args[0]), Path.of(args[1]), List.of(), true,
                args.length > 2 ? args[2] : "", args.length > 3 ? args[3] : null));
    }

    public static ChildDaemon start(Path socket, Path dataRoot, Path log) throws IOException, InterruptedException {
        return start(socket, dataRoot, log, List.of());
    }

    /** A child daemon whose default bridge network uses this device and subnet. */
    public static ChildDaemon startWithBridge(Path socket, Path dataRoot, Path log, String bridgeName, String bridgeSubnet)
            throws IOException, InterruptedException {
        return start(socket, dataRoot, log, List.of(bridgeName, bridgeSubnet));
    }

    private static ChildDaemon start(Path socket, Path dataRoot, Path log, List<String> extra) throws IOException, InterruptedException {
        return start(socket, dataRoot, log, extra, List.of());
    }

    /** As {@link #startWithBridge}, with options for the child JVM (e.g. {@code -Dberth.test.…} hooks). */
    public static ChildDaemon startWithBridge(Path socket, Path dataRoot, Path log, String bridgeName, String bridgeSubnet,
                                              List<String> jvmOptions) throws IOException, InterruptedException {
        return start(socket, dataRoot, log, List.of(bridgeName, bridgeSubnet), jvmOptions);
    }

    private static ChildDaemon start(Path socket, Path dataRoot, Path log, List<String> extra, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Files.deleteIfExists(socket);
        List<String> cmd = new ArrayList<>();
        cmd.add(ProcessHandle.current().info().command().orElse("java"));
        cmd.addAll(jvmOptions);
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(ChildDaemon.class.getName());
        cmd.add(socket.toString());
        cmd.add(dataRoot.toString());
        cmd.addAll(extra);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!Files.exists(socket)) {
            if (!p.isAlive() || System.nanoTime() > deadline) {
                p.destroyForcibly();
                throw new IllegalStateException("child daemon did not start: " + Files.readString(log));
            }
            Thread.sleep(50);
        }
        return new ChildDaemon(p, socket);
    }

    public String host() {
        return "unix://" + socket;
    }

    public boolean alive() {
        return process.isAlive();
    }

    /** SIGKILL: no shutdown hooks, no cleanup, exactly like a crash. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        kill();
    }
}
