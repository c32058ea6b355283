package dev.berth.engine.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The Docker engine (Debian docker.io's dockerd, with the containerd it starts) for comparison tests:
 * its own socket, data root, exec root, pid file and config file under a temp dir, no bridge and no
 * iptables rules, so it touches neither the host's engines nor other tests' networks. Closing stops it
 * (TERM, bounded wait, then KILL), the containerd it started, and unmounts and removes the directory.
 */
public final class PrivateDockerd implements AutoCloseable {
    private final Path dir;
    private final Process process;
    private final Path config;

    private PrivateDockerd(Path dir, Process process, Path config) {
        this.dir = dir;
        this.process = process;
        this.config = config;
    }

    /** dockerd and the docker CLI are needed: missing in CI fails, elsewhere it skips. */
    public static PrivateDockerd start() throws IOException, InterruptedException {
        String dockerd = Processes.requireBinary("dockerd");
        Processes.requireBinary("containerd");
        // Unix socket paths are limited to 108 bytes: keep the directory short.
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "build2-dd");
        Path config = dir.resolve("cli");
        Files.createDirectories(config);
        Files.writeString(dir.resolve("daemon.json"), "{}");
        List<String> cmd = new ArrayList<>(List.of(dockerd,
                "--config-file", dir.resolve("daemon.json").toString(),
                "--data-root", dir.resolve("dd").toString(),
                "--exec-root", dir.resolve("de").toString(),
                "--host", "unix://" + dir.resolve("docker.sock"),
                "--pidfile", dir.resolve("docker.pid").toString(),
                "--bridge=none", "--iptables=false", "--ip6tables=false", "--ip-masq=false",
                "--storage-driver=overlay2", "--log-level=warn"));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("dockerd.log").toFile()).start();
        PrivateDockerd d = new PrivateDockerd(dir, p, config);
        try {
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (true) {
                if (!p.isAlive()) {
                    fail("dockerd exited while starting: " + Files.readString(dir.resolve("dockerd.log")));
                }
                if (Files.exists(dir.resolve("docker.sock")) && d.docker("version", "-f", "{{.Server.Version}}").exitCode() == 0) {
                    return d;
                }
                if (System.nanoTime() > deadline) {
                    fail("dockerd not ready within 60s: " + Files.readString(dir.resolve("dockerd.log")));
                }
                Thread.sleep(100);
            }
        } catch (Exception | Error e) {
            d.close();
            throw e;
        }
    }

    public String host() {
        return "unix://" + dir.resolve("docker.sock");
    }

    public Processes.Result docker(String... args) {
        return Processes.docker(host(), config, args);
    }

    @Override
    public void close() throws IOException {
        try {
            if (process.isAlive()) {
                String ids = docker("ps", "-aq").stdout().strip();
                if (!ids.isEmpty()) {
                    List<String> rm = new ArrayList<>(List.of("rm", "-f"));
                    rm.addAll(List.of(ids.split("\\s+")));
                    docker(rm.toArray(String[]::new));
                }
            }
        } finally {
            stop(process.toHandle(), 30);
            // dockerd normally stops the containerd it started; make sure, by its own pid file.
            Path cpid = dir.resolve("de/containerd/containerd.pid");
            if (Files.exists(cpid)) {
                try {
                    ProcessHandle.of(Long.parseLong(Files.readString(cpid).strip())).ifPresent(h -> stop(h, 10));
                } catch (NumberFormatException ignored) {
                    // A half-written pid file: containerd never got going.
                }
            }
            unmountUnder(dir);
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            }
        }
    }

    private static void stop(ProcessHandle h, int seconds) {
        if (!h.isAlive()) {
            return;
        }
        h.destroy();
        try {
            h.onExit().get(seconds, java.util.concurrent.TimeUnit.SECONDS);
        } catch (Exception e) {
            h.destroyForcibly();
            try {
                h.onExit().get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // Nothing more can be done from here.
            }
        }
    }

    private static void unmountUnder(Path dir) throws IOException {
        String prefix = dir.toString() + "/";
        List<String> mounts = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
            String[] f = line.split(" ");
            if (f.length > 4 && (f[4] + "/").startsWith(prefix)) {
                mounts.add(f[4]);
            }
        }
        mounts.sort(Comparator.reverseOrder());
        for (String m : mounts) {
            if (Processes.run(Map.of(), null, 10, "umount", m).exitCode() != 0) {
                Processes.run(Map.of(), null, 10, "umount", "-l", m);
            }
        }
    }
}
