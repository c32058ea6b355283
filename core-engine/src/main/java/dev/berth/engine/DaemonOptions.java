package dev.berth.engine;

import java.nio.file.Path;
import java.util.List;

/**
 * How the daemon runs: where it listens, where it keeps its state, and which registries may be
 * reached over plain HTTP besides loopback ones.
 */
public record DaemonOptions(Path socket, Path dataRoot, List<String> insecureRegistries, boolean debug) {
    public DaemonOptions {
        insecureRegistries = insecureRegistries == null ? List.of() : List.copyOf(insecureRegistries);
    }

    public static Path defaultDataRoot() {
        if (isRoot()) {
            return Path.of("/var/lib/berth");
        }
        String xdg = System.getenv("XDG_DATA_HOME");
        return (xdg != null ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".local", "share")).resolve("berth");
    }

    static boolean isRoot() {
        return dev.berth.images.layer.Posix.isRoot();
    }
}
