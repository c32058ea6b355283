package dev.berth.engine;

import dev.berth.registry.RetryPolicy;

import java.nio.file.Path;
import java.util.List;

/**
 * How the daemon runs: where it listens, where it keeps its state, and which registries may be
 * reached over plain HTTP besides loopback ones; optionally the default bridge's device and subnet
 * (null for Berth's defaults; an empty bridge name for none).
 */
public record DaemonOptions(Path socket, Path dataRoot, List<String> insecureRegistries, boolean debug,
                            String bridgeName, String bridgeSubnet, RetryPolicy registryRetry) {
    public DaemonOptions {
        insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
        registryRetry = registryRetry == null ? RetryPolicy.DEFAULT : registryRetry;
    }

    /** Registry calls retry with {@link RetryPolicy#DEFAULT} (go-containerregistry's numbers). */
    public DaemonOptions(Path socket, Path dataRoot, List<String> insecureRegistries, boolean debug,
                         String bridgeName, String bridgeSubnet) {
        this(socket, dataRoot, insecureRegistries, debug, bridgeName, bridgeSubnet, null);
    }

    /** The default bridge's device and subnet are Berth's defaults (berth0, 172.29.0.0/16). */
    public DaemonOptions(Path socket, Path dataRoot, List<String> insecureRegistries, boolean debug) {
        this(socket, dataRoot, insecureRegistries, debug, null, null);
    }

    /**
     * Another bridge device and subnet for the default network, e.g. so tests do not share the host's;
     * an empty name turns the bridge network off (containers then get loopback only, with a warning).
     */
    public DaemonOptions withBridge(String name, String subnet) {
        return new DaemonOptions(socket, dataRoot, insecureRegistries, debug, name, subnet, registryRetry);
    }

    /** Another retry policy for the engine's registry calls (tests: {@link RetryPolicy#FAST}, not seconds of backoff). */
    public DaemonOptions withRegistryRetry(RetryPolicy policy) {
        return new DaemonOptions(socket, dataRoot, insecureRegistries, debug, bridgeName, bridgeSubnet, policy);
    }

    public static Path defaultDataRoot() {
        if (isRoot()) {
            return Path.of("/var/lib/berth");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share")).resolve("berth");
    }

    /**
     * Whether this process's effective uid is 0, from /proc/self/status where there is one: Posix.isRoot()
     * loads JNA (its native library, and a fork of ldconfig to find libc), which the desktop app would
     * otherwise pay on its UI thread during start-up (bench/desktop/RESULTS.md).
     */
    public static boolean isRoot() {
        try {
            for (String line : java.nio.file.Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.split("\\s+")[2].equals("0"); // real, effective, saved, filesystem
                }
            }
        } catch (java.io.IOException | RuntimeException noProc) {
            // not Linux: libc's answer
        }
        return dev.berth.images.layer.Posix.isRoot();
    }
}
