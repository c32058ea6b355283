package dev.berth.engine.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Which OCI runtime conmon runs. Asked for by name ({@code runc}, {@code crun}) or path through the
 * {@code BERTH_RUNTIME} environment variable or the {@code berth.runtime} system property; otherwise
 * the first of runc and crun that works here. What works is {@link ConmonRuntime#unusableReason}: the
 * binary must run, and crun (1.8.1 at least) refuses hybrid cgroups. A runtime asked for that cannot
 * work is not silently replaced: the engine then says why, as podman does for a bad --runtime.
 */
public final class RuntimeSelector {
    static final List<String> DIRS = List.of("/usr/sbin", "/usr/bin", "/usr/local/sbin", "/usr/local/bin");

    /** The runtime chosen, or why there is none. */
    public record Selection(Path runtime, String problem) {
    }

    private final List<Path> dirs;

    public RuntimeSelector(List<Path> dirs) {
        this.dirs = List.copyOf(dirs);
    }

    public static RuntimeSelector system() {
        return new RuntimeSelector(DIRS.stream().map(Path::of).toList());
    }

    /** The request from the environment, or null for automatic. */
    public static String requested() {
        String p = System.getProperty("berth.runtime");
        if (p == null || p.isBlank()) {
            p = System.getenv("BERTH_RUNTIME");
        }
        return p == null || p.isBlank() ? null : p.strip();
    }

    public Selection select(String requested, CgroupLayout cgroups) {
        if (requested != null) {
            Optional<Path> p = find(requested);
            if (p.isEmpty()) {
                return new Selection(null, "the OCI runtime \"" + requested + "\" asked for is not installed");
            }
            return ConmonRuntime.unusableReason(p.get(), cgroups)
                    .map(why -> new Selection(null, "the OCI runtime \"" + requested + "\" asked for cannot run containers here: " + why))
                    .orElseGet(() -> new Selection(p.get(), null));
        }
        List<String> reasons = new ArrayList<>();
        for (String name : List.of("runc", "crun")) {
            Optional<Path> p = find(name);
            if (p.isEmpty()) {
                reasons.add(name + " is not installed");
                continue;
            }
            Optional<String> why = ConmonRuntime.unusableReason(p.get(), cgroups);
            if (why.isEmpty()) {
                return new Selection(p.get(), null);
            }
            reasons.add(why.get());
        }
        return new Selection(null, String.join("; ", reasons));
    }

    private Optional<Path> find(String nameOrPath) {
        if (nameOrPath.contains("/")) {
            Path p = Path.of(nameOrPath);
            return Files.isExecutable(p) ? Optional.of(p) : Optional.empty();
        }
        return dirs.stream().map(d -> d.resolve(nameOrPath)).filter(Files::isExecutable).findFirst();
    }
}
