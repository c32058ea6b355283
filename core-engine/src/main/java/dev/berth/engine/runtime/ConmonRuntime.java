package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * conmon + runc (or crun), the way podman's oci_conmon_linux.go drives them. conmon double-forks, so
 * the container's monitor is not the daemon's child: killing the daemon leaves containers running,
 * and their exit codes still land in the exit directory.
 *
 * <p>State kept on disk, so that any daemon instance can pick a container up:
 * <ul>
 *   <li>{@code <stateRoot>/runc}: the runtime's own state ({@code --root});</li>
 *   <li>{@code <stateRoot>/exits/<id>}: the exit code, written by conmon;</li>
 *   <li>{@code <stateRoot>/sockets/<id>/attach}: conmon's attach socket;</li>
 *   <li>in the bundle: {@code pidfile}, {@code conmon.pid}, {@code ctr.log} and {@code conmon.out}
 *       (conmon's own messages, the only place a create error shows without a sync pipe).</li>
 * </ul>
 *
 * <p>podman hands conmon a sync pipe ({@code _OCI_SYNCPIPE}) to learn the pid or the create error.
 * A JVM cannot pass an extra fd to a child, so this waits, bounded, for the runtime's pid file and
 * watches conmon's liveness instead.
 */
public final class ConmonRuntime implements ContainerRuntime {
    private static final Logger LOG = Logger.getLogger(ConmonRuntime.class.getName());

    static final Duration CREATE_TIMEOUT = Duration.ofSeconds(30);
    static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(30);

    private final Path conmon;
    private final Path runtime;
    private final String name;
    private final Path runtimeRoot;
    private final Path exitDir;
    private final ExitFileWatcher exitWatcher;
    private final Path socketDir;

    public ConmonRuntime(Path conmon, Path runtime, Path stateRoot) throws IOException {
        this.conmon = conmon;
        this.runtime = runtime;
        this.name = runtimeName(runtime);
        this.runtimeRoot = stateRoot.resolve(name);
        this.exitDir = stateRoot.resolve("exits");
        this.exitWatcher = new ExitFileWatcher(exitDir);
        this.socketDir = stateRoot.resolve("sockets");
        Files.createDirectories(runtimeRoot);
        Files.createDirectories(exitDir);
        Files.createDirectories(socketDir);
    }

    /**
     * Why {@code runtime} cannot run containers on this host, or empty when it can: the binary must run,
     * and crun refuses a hybrid layout (v1 controllers with a v2 tree beside them) once the v2 tree holds
     * a controller.
     */
    public static Optional<String> unusableReason(Path runtime, CgroupLayout cgroups) {
        if (!Files.isExecutable(runtime)) {
            return Optional.of(runtime + " is not installed");
        }
        String name;
        try {
            name = runtimeName(runtime);
        } catch (IOException e) {
            return Optional.of(runtime + " --version failed: " + e.getMessage());
        }
        if (name.equals("crun") && cgroups.mode() == CgroupLayout.Mode.HYBRID && !cgroups.v2Controllers().isEmpty()) {
            // crun's libcrun_cgroup_enter: hybrid only while cgroup2 holds no controller.
            return Optional.of("crun does not support hybrid cgroups whose v2 hierarchy holds controllers (here: "
                    + String.join(", ", new java.util.TreeSet<>(cgroups.v2Controllers()))
                    + "); use runc, or mount those controllers as cgroup v1 hierarchies");
        }
        if (cgroups.mode() == CgroupLayout.Mode.NONE) {
            return Optional.of("no cgroup hierarchy is mounted");
        }
        return Optional.empty();
    }

    private static String runtimeName(Path runtime) throws IOException {
        String out = run(List.of(runtime.toString(), "--version"), COMMAND_TIMEOUT).stdout();
        String first = out.lines().findFirst().orElse("");
        // "runc version 1.1.5", "crun version 1.8.1"
        int sp = first.indexOf(' ');
        if (sp <= 0) {
            throw new IOException("unexpected " + runtime + " --version output: " + out);
        }
        return first.substring(0, sp);
    }

    @Override
    public String name() {
        return name;
    }

    /** The exact conmon command line for a container; public so that it can be logged and tested. */
    public List<String> conmonCommand(String id, Path bundle, boolean tty) {
        return conmonCommand(id, bundle, tty, false, false);
    }

    /**
     * @param stdin          the container gets a stdin pipe fed from the attach socket (OpenStdin)
     * @param leaveStdinOpen an attach client hanging up does not close that stdin (Docker's StdinOnce false)
     */
    public List<String> conmonCommand(String id, Path bundle, boolean tty, boolean stdin, boolean leaveStdinOpen) {
        return conmonCommand(id, bundle, tty, stdin, leaveStdinOpen, -1);
    }

    /** @param logSizeMax rotate the log at this many bytes (Docker's max-size), or -1 for never */
    public List<String> conmonCommand(String id, Path bundle, boolean tty, boolean stdin, boolean leaveStdinOpen,
                                      long logSizeMax) {
        List<String> cmd = new ArrayList<>(List.of(
                conmon.toString(),
                "--api-version", "1",
                "-c", id,
                "-u", id,
                "-r", runtime.toString(),
                "-b", bundle.toString(),
                "-p", bundle.resolve("pidfile").toString(),
                "-P", bundle.resolve("conmon.pid").toString(),
                "-n", id,
                "--exit-dir", exitDir.toString(),
                "--exit-delay", "0",
                "-l", "k8s-file:" + logPath(bundle),
                "--log-level", "info",
                "--socket-dir-path", socketDir.toString(),
                "--runtime-arg", "--root=" + runtimeRoot,
                // runc's own error (e.g. exec: "x": executable file not found) lands here, not on conmon's output.
                "--runtime-arg", "--log-format=json",
                "--runtime-arg", "--log=" + bundle.resolve("oci-log")));
        if (logSizeMax > 0) {
            cmd.addAll(List.of("--log-size-max", Long.toString(logSizeMax)));
        }
        if (tty) {
            cmd.add("-t");
        }
        if (stdin) {
            cmd.add("-i");
            if (leaveStdinOpen) {
                cmd.add("--leave-stdin-open");
            }
        }
        return cmd;
    }

    @Override
    public Created create(String id, Path bundle, boolean tty) throws IOException {
        return create(id, bundle, tty, false, false);
    }

    /** {@link #create(String, Path, boolean)} with a stdin pipe; see {@link #conmonCommand(String, Path, boolean, boolean, boolean)}. */
    public Created create(String id, Path bundle, boolean tty, boolean stdin, boolean leaveStdinOpen) throws IOException {
        return create(id, bundle, tty, stdin, leaveStdinOpen, -1);
    }

    /** @param logSizeMax Docker's max-size in bytes, or -1 */
    public Created create(String id, Path bundle, boolean tty, boolean stdin, boolean leaveStdinOpen, long logSizeMax)
            throws IOException {
        if (!Files.isRegularFile(bundle.resolve("config.json"))) {
            throw BerthException.invalid("no config.json in bundle " + bundle);
        }
        Path pidFile = bundle.resolve("pidfile");
        Path conmonPidFile = bundle.resolve("conmon.pid");
        Path conmonOut = bundle.resolve("conmon.out");
        Files.deleteIfExists(pidFile);
        Files.deleteIfExists(conmonPidFile);
        Files.deleteIfExists(exitDir.resolve(id));
        // conmon writes "oom" into its working directory (the bundle) when the kernel OOM-kills the container.
        Files.deleteIfExists(bundle.resolve("oom"));
        // Only this attempt's messages explain its failure; conmon.out keeps earlier starts' too.
        long outStart = Files.exists(conmonOut) ? Files.size(conmonOut) : 0;

        Files.deleteIfExists(bundle.resolve("oci-log"));
        ProcessBuilder pb = new ProcessBuilder(conmonCommand(id, bundle, tty, stdin, leaveStdinOpen, logSizeMax));
        // conmon writes its "oom" marker into its working directory.
        pb.directory(bundle.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(conmonOut.toFile()));
        pb.redirectErrorStream(true);
        long deadline = System.nanoTime() + CREATE_TIMEOUT.toNanos();
        long t = PhaseTimer.start();
        Process p = pb.start();
        t = PhaseTimer.end(t, "create.conmon-fork", id);
        try {
            // The first conmon forks the monitor, writes its pid and exits at once.
            if (!p.waitFor(CREATE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw createFailed(id, bundle, outStart, "conmon did not detach");
            }
            t = PhaseTimer.end(t, "create.conmon-detach", id);
            if (p.exitValue() != 0) {
                throw createFailed(id, bundle, outStart, "conmon exited with " + p.exitValue());
            }
            while (System.nanoTime() < deadline) {
                OptionalLong monitor = readPid(conmonPidFile);
                OptionalLong container = readPid(pidFile);
                if (container.isPresent() && monitor.isPresent()) {
                    PhaseTimer.end(t, "create.pidfile", id);
                    return new Created(container.getAsLong(), monitor.getAsLong());
                }
                if (monitor.isPresent() && !alive(monitor.getAsLong())) {
                    throw createFailed(id, bundle, outStart, "conmon exited before the container was created");
                }
                // runc create takes tens of ms; a short tick costs a file read, a long one adds latency to every run.
                Thread.sleep(2);
            }
            throw createFailed(id, bundle, outStart, "timed out after " + CREATE_TIMEOUT.toSeconds() + "s waiting for " + pidFile);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating " + id, e);
        }
    }

    private BerthException createFailed(String id, Path bundle, long outStart, String why) {
        String out;
        try {
            byte[] all = Files.readAllBytes(bundle.resolve("conmon.out"));
            int from = (int) Math.min(outStart, all.length);
            out = new String(all, from, all.length - from, StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            out = "";
        }
        try {
            String oci = Files.readString(bundle.resolve("oci-log"), StandardCharsets.UTF_8).strip();
            if (!oci.isEmpty()) {
                out = out.isEmpty() ? oci : out + "\n" + oci;
            }
        } catch (IOException e) {
            // No runtime log: conmon's output is all there is.
        }
        return BerthException.system("creating container " + id + " failed: " + why + (out.isEmpty() ? "" : ": " + out), null);
    }

    @Override
    public void start(String id) throws IOException {
        // runc's start only opens the created container's exec fifo: done here, it saves a fork of runc.
        // Anything else (crun, a container not in the created state) gets the runtime's own start and errors.
        Path fifo = name.equals("runc") ? ExecFifo.pending(runtimeRoot, id) : null;
        if (fifo != null) {
            ExecFifo.release(id, fifo, () -> ExecFifo.initPid(runtimeRoot, id), COMMAND_TIMEOUT);
            return;
        }
        runtime("start", id).check("start " + id);
    }

    @Override
    public void kill(String id, int signal, boolean allProcesses) throws IOException {
        List<String> args = new ArrayList<>(List.of("kill"));
        if (allProcesses) {
            args.add("--all");
        }
        args.add(id);
        args.add(Integer.toString(signal));
        runtime(args.toArray(String[]::new)).check("kill " + id);
    }

    @Override
    public void delete(String id, boolean force) throws IOException {
        // runc keeps a container's state in <root>/<id>; without it runc would only answer "does not
        // exist". Each run --rm asked it that twice (before create, after the exit's delete): two forks saved.
        if (!Files.exists(runtimeRoot.resolve(id), LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Result r = force ? runtime("delete", "--force", id) : runtime("delete", id);
        if (r.code() != 0 && !r.notFound()) {
            r.check("delete " + id);
        }
    }

    @Override
    public Optional<RuntimeState> state(String id) throws IOException {
        Result r = runtime("state", id);
        if (r.code() != 0) {
            if (r.notFound()) {
                return Optional.empty();
            }
            r.check("state " + id);
        }
        JsonNode n = Json.MAPPER.readTree(r.stdout());
        return Optional.of(new RuntimeState(n.path("id").asText(), n.path("status").asText(), n.path("pid").asLong(),
                n.path("bundle").asText()));
    }

    @Override
    public OptionalInt exitCode(String id) throws IOException {
        try {
            String s = Files.readString(exitDir.resolve(id)).trim();
            return s.isEmpty() ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(s));
        } catch (NoSuchFileException e) {
            return OptionalInt.empty();
        }
    }

    @Override
    public OptionalInt awaitExit(String id, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long seen = exitWatcher.generation();
            OptionalInt code = exitCode(id);
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (code.isPresent() || left <= 0) {
                return code;
            }
            exitWatcher.awaitChange(seen, Math.min(left, 250));
        }
    }

    /** When conmon wrote the exit file (ms since the epoch), or 0: for {@link PhaseTimer}. */
    public long exitFileTime(String id) {
        try {
            return Files.getLastModifiedTime(exitDir.resolve(id)).toMillis();
        } catch (IOException e) {
            return 0;
        }
    }

    /** Forgets a recorded exit, once the engine has stored it, so a restart starts clean. */
    public void clearExit(String id) throws IOException {
        Files.deleteIfExists(exitDir.resolve(id));
    }

    @Override
    public Path logPath(Path bundle) {
        return bundle.resolve("ctr.log");
    }

    @Override
    public void killMonitor(Path bundle) throws IOException {
        OptionalLong pid = readPid(bundle.resolve("conmon.pid"));
        if (pid.isEmpty()) {
            return;
        }
        Optional<ProcessHandle> monitor = ProcessHandle.of(pid.getAsLong());
        if (monitor.isPresent() && monitor.get().destroyForcibly()) {
            // SIGKILL is delivered, not done: until conmon is gone it may still write into the bundle
            // (its last log line), which the caller is about to delete.
            // Polled: onExit() of a process that is not our child first sleeps 300 ms.
            long deadline = System.nanoTime() + MONITOR_EXIT_WAIT.toNanos();
            while (running(pid.getAsLong())) {
                if (System.nanoTime() - deadline > 0) {
                    LOG.fine(() -> "conmon " + pid.getAsLong() + " did not go within " + MONITOR_EXIT_WAIT);
                    return;
                }
                try {
                    Thread.sleep(2);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }

    private static final Duration MONITOR_EXIT_WAIT = Duration.ofSeconds(2);

    /**
     * Whether a process still runs. A killed conmon is a zombie until its parent (init, not the daemon)
     * reaps it, which some inits do only now and then; ProcessHandle counts a zombie as alive.
     */
    static boolean running(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            int end = stat.lastIndexOf(')'); // the command name may hold spaces and parentheses
            char state = end > 0 && end + 2 < stat.length() ? stat.charAt(end + 2) : '?';
            return state != 'Z' && state != 'X';
        } catch (IOException gone) { // NoSuchFileException above all: the process is reaped
            return false;
        }
    }

    public Path exitDir() {
        return exitDir;
    }

    public Path runtimeRoot() {
        return runtimeRoot;
    }

    private static OptionalLong readPid(Path file) throws IOException {
        try {
            String s = Files.readString(file).trim();
            return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (NumberFormatException e) {
            // Caught between the runtime's create and write: the next poll sees the whole number.
            return OptionalLong.empty();
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    private Result runtime(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(runtime.toString(), "--root=" + runtimeRoot));
        cmd.addAll(List.of(args));
        return run(cmd, COMMAND_TIMEOUT);
    }

    record Result(List<String> command, int code, String stdout, String stderr) {
        boolean notFound() {
            return stderr.contains("does not exist") || stderr.contains("not found");
        }

        void check(String what) {
            if (code != 0) {
                String msg = stderr.isBlank() ? stdout.strip() : stderr.strip();
                if (notFound()) {
                    throw BerthException.notFound(what + ": " + msg);
                }
                throw BerthException.system(what + " failed: " + msg, null);
            }
        }
    }

    private static Result run(List<String> cmd, Duration timeout) throws IOException {
        Path out = Files.createTempFile("berth-rt", ".out");
        Path err = Files.createTempFile("berth-rt", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            // Files, not pipes: a runtime may leave a child holding a pipe open, which would hang a reader.
            pb.redirectOutput(out.toFile());
            pb.redirectError(err.toFile());
            Process p = pb.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new IOException(String.join(" ", cmd) + " timed out after " + timeout.toSeconds() + "s");
            }
            return new Result(cmd, p.exitValue(), Files.readString(out), Files.readString(err));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted: " + String.join(" ", cmd), e);
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    @Override
    public void pause(String id) throws IOException {
        runtime("pause", id).check("pause " + id);
    }

    @Override
    public void resume(String id) throws IOException {
        runtime("resume", id).check("resume " + id);
    }

    @Override
    public boolean oomKilled(Path bundle) {
        return Files.exists(bundle.resolve("oom"));
    }

    public Path conmonPath() {
        return conmon;
    }

    public Path runtimePath() {
        return runtime;
    }

    public Path socketDir() {
        return socketDir;
    }

    @Override
    public void update(String id, com.fasterxml.jackson.databind.node.ObjectNode resources) throws IOException {
        Path file = Files.createTempFile("berth-update", ".json");
        try {
            Files.write(file, dev.berth.images.Json.MAPPER.writeValueAsBytes(resources));
            runtime("update", "--resources", file.toString(), id).check("update " + id);
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
