package dev.berth.desktop.engine;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Runs {@code bin/berth daemon -H unix://SOCKET --data-root DIR} detached: under {@code setsid}, so
 * it has its own session and process group and outlives the window (no SIGHUP, no Ctrl+C from the
 * app's terminal), with stdin from /dev/null and its output appended to
 * {@code DATA_ROOT/berth-desktop-engine.log}.
 */
public final class DaemonLauncher implements Launcher {
    public static final String LOG_NAME = "berth-desktop-engine.log";

    private final List<String> daemonCommand;
    private final boolean root;

    /** {@code daemonCommand}: the program and its leading arguments, up to and including {@code daemon}. */
    public DaemonLauncher(List<String> daemonCommand, boolean root) {
        this.daemonCommand = List.copyOf(daemonCommand);
        this.root = root;
    }

    /** {@code BERTH_HOME/bin/berth daemon}, from {@code -Dberth.home} (set by bin/berth-desktop). */
    public static DaemonLauncher fromBerthHome(String berthHome, boolean root) {
        String home = berthHome == null || berthHome.isBlank() ? "." : berthHome;
        return new DaemonLauncher(List.of(Path.of(home, "bin", "berth").toString(), "daemon"), root);
    }

    @Override
    public Optional<String> whyNot(EngineTarget target) {
        if (!target.own()) {
            return Optional.of(target.endpoint().uri() + " is not Berth's engine: start it where it is installed");
        }
        Path program = Path.of(daemonCommand.get(0));
        if (program.isAbsolute() && !Files.isExecutable(program)) {
            return Optional.of("Berth's launcher " + program + " is missing: start the app with bin/berth-desktop");
        }
        if (root) {
            return Optional.empty();
        }
        for (Path p : List.of(target.dataRoot(), target.socket().getParent())) {
            Path existing = nearestExisting(p);
            if (existing == null || !Files.isWritable(existing)) {
                return Optional.of("you cannot write " + (existing == null ? p : existing) + ", so the app cannot start the engine "
                        + "for " + p + ". Run it as root: " + target.manualCommand(true));
            }
        }
        return Optional.empty();
    }

    private static Path nearestExisting(Path p) {
        Path q = p.toAbsolutePath();
        while (q != null && !Files.exists(q)) {
            q = q.getParent();
        }
        return q;
    }

    @Override
    public EngineProcess launch(EngineTarget target) throws IOException {
        Files.createDirectories(target.dataRoot());
        Files.createDirectories(target.socket().getParent());
        Path log = target.dataRoot().resolve(LOG_NAME);
        List<String> cmd = command(target);
        Files.writeString(log, "berth-desktop: starting " + String.join(" ", cmd) + "\n",
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        Process p = new ProcessBuilder(cmd).redirectInput(new File("/dev/null")).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        return new Started(p, log);
    }

    /** The command line {@link #launch} runs for {@code target}. */
    public List<String> command(EngineTarget target) {
        List<String> cmd = new ArrayList<>();
        if (Files.isExecutable(Path.of("/usr/bin/setsid")) || Files.isExecutable(Path.of("/bin/setsid"))) {
            cmd.add("setsid");
        }
        cmd.addAll(daemonCommand);
        cmd.addAll(List.of("-H", "unix://" + target.socket(), "--data-root", target.dataRoot().toString()));
        return cmd;
    }

    private record Started(Process process, Path log) implements EngineProcess {
        @Override
        public long pid() {
            return process.pid();
        }

        @Override
        public boolean isAlive() {
            return process.isAlive();
        }

        @Override
        public CompletableFuture<Integer> onExit() {
            return process.onExit().thenApply(Process::exitValue);
        }

        @Override
        public void stop() {
            process.destroy();
        }
    }
}
