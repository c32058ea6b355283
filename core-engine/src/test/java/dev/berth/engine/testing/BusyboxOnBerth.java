package dev.berth.engine.testing;

import dev.berth.images.layer.Posix;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.LocalRegistry;

import java.io.IOException;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A daemon that can run containers, with the busybox test image pulled into it from a local registry:
 * what every docker-CLI container test starts from. Closing removes the containers, then stops both.
 */
public final class BusyboxOnBerth implements AutoCloseable {
    private final TestDaemon daemon;
    private final LocalRegistry registry;
    private final Path dockerConfig;
    private final String ref;

    private BusyboxOnBerth(TestDaemon daemon, LocalRegistry registry, Path dockerConfig, String ref) {
        this.daemon = daemon;
        this.registry = registry;
        this.dockerConfig = dockerConfig;
        this.ref = ref;
    }

    /** Containers need root, runc and conmon: missing in CI fails the test, elsewhere it skips. */
    public static void requireContainerPrerequisites() {
        Processes.requireBinary("docker-registry");
        Processes.requireBinary("busybox");
        Processes.requireBinary("runc");
        Processes.requireBinary("conmon");
        if (!Posix.isRoot()) {
            String msg = "containers need root";
            if ("true".equals(System.getenv("CI"))) {
                fail(msg);
            }
            org.junit.jupiter.api.Assumptions.abort(msg);
        }
    }

    /** Takes over {@code daemon}: it is closed with this fixture, or at once if setting up fails. */
    public static BusyboxOnBerth start(TestDaemon daemon, Path dockerConfig) throws Exception {
        LocalRegistry registry = null;
        try {
            registry = LocalRegistry.start(LocalRegistry.Mode.OPEN);
            String ref = registry.push(TestImages.busybox(), "e2e/busybox:1.0");
            BusyboxOnBerth engine = new BusyboxOnBerth(daemon, registry, dockerConfig, ref);
            engine.docker("pull", ref).assertOk();
            return engine;
        } catch (Exception | Error e) {
            daemon.close();
            if (registry != null) {
                registry.close();
            }
            throw e;
        }
    }

    public TestDaemon daemon() {
        return daemon;
    }

    /** The pulled busybox image's reference. */
    public String ref() {
        return ref;
    }

    /** The local registry the busybox image came from, for tests that push images of their own. */
    public LocalRegistry registry() {
        return registry;
    }

    public Processes.Result docker(String... args) {
        return Processes.docker(daemon.host(), dockerConfig, args);
    }

    @Override
    public void close() throws IOException {
        try {
            daemon.removeAllContainers(dockerConfig);
            daemon.close();
        } finally {
            registry.close();
        }
    }

    /** Pushes another test image to this fixture's registry and pulls it into the daemon; returns its reference. */
    public String pushAndPull(dev.berth.images.testing.ImageFixture image, String repoTag) throws IOException {
        String pushed = registry.push(image, repoTag);
        docker("pull", pushed).assertOk();
        return pushed;
    }

    /** {@link #docker}, failing the test if it has not ended within {@code timeoutSeconds}: a bounded wait for "does not hang". */
    public Processes.Result dockerWithin(long timeoutSeconds, String... args) {
        java.util.List<String> cmd = new java.util.ArrayList<>();
        cmd.add(Processes.requireBinary("docker"));
        cmd.addAll(java.util.List.of(args));
        return Processes.run(java.util.Map.of("DOCKER_HOST", daemon.host(), "DOCKER_CONFIG", dockerConfig.toString(),
                "DOCKER_BUILDKIT", "0", "DOCKER_CLI_HINTS", "false"), null, timeoutSeconds, cmd.toArray(String[]::new));
    }
}
