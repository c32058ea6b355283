package dev.berth.engine.containers;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code docker top}: the host's {@code ps} with the caller's options, keeping the rows whose PID is in
 * the container's cgroup, as moby does. The container's processes come from the {@code cgroup.procs}
 * of the init's cgroup, so they include exec'd processes but never a neighbour's.
 */
public final class ProcessLister {
    private final Path cgroupRoot;
    private final Path procRoot;
    private final String ps;

    public ProcessLister(Path cgroupRoot, Path procRoot, String ps) {
        this.cgroupRoot = cgroupRoot;
        this.procRoot = procRoot;
        this.ps = ps;
    }

    public static ProcessLister forHost() {
        return new ProcessLister(Path.of("/sys/fs/cgroup"), Path.of("/proc"), "ps");
    }

    public record Top(List<String> titles, List<List<String>> processes) {
        public Map<String, Object> toJson() {
            return Map.of("Titles", titles, "Processes", processes);
        }
    }

    /** @param psArgs Docker's {@code ps_args}: empty means {@code -ef} */
    public Top top(long initPid, String psArgs) throws IOException {
        Set<String> pids = containerPids(initPid);
        List<String> cmd = new ArrayList<>();
        cmd.add(ps);
        String args = psArgs == null || psArgs.isBlank() ? "-ef" : psArgs;
        cmd.addAll(Arrays.asList(args.trim().split("\\s+")));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw BerthException.system("ps did not finish in 30 s", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while running ps", e);
        }
        if (p.exitValue() != 0) {
            String message = "Error running ps: exit status " + p.exitValue() + ": " + out.strip();
            // ps refusing the caller's own ps_args is the caller's mistake (moby answers 500 for it; we say 400).
            throw psArgs == null || psArgs.isBlank() ? BerthException.system(message, null) : BerthException.invalid(message);
        }
        return parse(out, pids);
    }

    /** moby's parsePSOutput: the header gives the columns, the last one takes the rest of the line. */
    static Top parse(String output, Set<String> pids) {
        List<String> lines = output.lines().filter(l -> !l.isBlank()).toList();
        if (lines.isEmpty()) {
            throw BerthException.system("ps printed nothing", null);
        }
        List<String> titles = Arrays.asList(lines.getFirst().trim().split("\\s+"));
        int pidIndex = titles.indexOf("PID");
        if (pidIndex < 0) {
            throw new BerthException(ErrorCategory.INVALID_ARGUMENT, "Couldn't find PID field in ps output");
        }
        List<List<String>> rows = new ArrayList<>();
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.trim().split("\\s+", titles.size());
            if (f.length <= pidIndex || !pids.contains(f[pidIndex])) {
                continue;
            }
            rows.add(List.of(f));
        }
        return new Top(titles, rows);
    }

    /** Every process in the init's cgroup (the first hierarchy that lists it), or just the init. */
    Set<String> containerPids(long initPid) throws IOException {
        Set<String> out = new HashSet<>();
        String cg;
        try {
            cg = Files.readString(procRoot.resolve(Long.toString(initPid)).resolve("cgroup"));
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.CONFLICT, "container is not running");
        }
        for (String line : cg.split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3 || f[1].startsWith("name=")) {
                continue;
            }
            String rel = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            if (rel.isEmpty()) {
                // The root cgroup holds the whole host: never a container's own.
                continue;
            }
            List<Path> candidates = f[1].isEmpty()
                    ? List.of(cgroupRoot.resolve("unified"), cgroupRoot)
                    : List.of(cgroupRoot.resolve(f[1]), cgroupRoot.resolve(f[1].split(",")[0]));
            for (Path mount : candidates) {
                Path procs = mount.resolve(rel).resolve("cgroup.procs");
                if (Files.isRegularFile(procs)) {
                    Files.readString(procs).lines().map(String::strip).filter(s -> !s.isEmpty()).forEach(out::add);
                    if (out.contains(Long.toString(initPid))) {
                        return out;
                    }
                    out.clear();
                }
            }
        }
        out.add(Long.toString(initPid));
        return out;
    }
}
