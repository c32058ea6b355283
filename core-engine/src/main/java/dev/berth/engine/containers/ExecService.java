package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.attach.AttachSession;
import dev.berth.engine.attach.DetachKeys;
import dev.berth.engine.runtime.AttachSocket;
import dev.berth.engine.runtime.ConmonRuntime;
import dev.berth.engine.runtime.RootFs;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import dev.berth.images.layer.LayerDirs;

import dev.berth.engine.logs.MultiplexedWriter;
import dev.berth.engine.logs.RawWriter;
import dev.berth.engine.logs.StdStream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.channels.Channels;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Docker's exec instances, run the way podman runs them: {@code conmon --exec} with a process spec
 * derived from the container's, which has conmon call {@code runc exec --detach}. conmon holds the
 * process's stdio, serves it on an attach socket in the exec's own directory, and writes its exit code
 * there; the engine keeps the instance in memory (Docker forgets them on restart too).
 *
 * <p>Not a byte of output may be lost before the client is connected, so an attached exec uses
 * conmon's {@code --exec-attach}: it waits on a "start pipe" before it runs the runtime. podman passes
 * that pipe as an inherited descriptor, which a JVM cannot give a child; here it is a FIFO in the exec
 * directory that a {@code sh} opens as descriptor 3 before it execs conmon. We write to it once so
 * conmon sets up its socket, connect, then write again to let the process run.
 */
public final class ExecService {
    private static final Logger LOG = Logger.getLogger(ExecService.class.getName());
    static final Duration CONMON_WAIT = Duration.ofSeconds(30);
    static final Duration CONNECT_WAIT = Duration.ofSeconds(10);
    /** After the output ends, conmon writes the exit file at once; this only bounds a broken conmon. */
    static final Duration EXIT_WAIT = Duration.ofSeconds(10);
    static final Duration POLL = Duration.ofMillis(50);

    private final ContainerService containers;
    private final ConmonRuntime runtime;
    private final Path containersDir;
    private final Map<String, Exec> execs = new ConcurrentHashMap<>();

    ExecService(ContainerService containers, ConmonRuntime runtime, Path containersDir) {
        this.containers = containers;
        this.runtime = runtime;
        this.containersDir = containersDir;
    }

    /** One exec instance: its create body, and what is known of its process. */
    static final class Exec {
        final String id;
        final String containerId;
        final JsonNode config;
        volatile boolean launched;
        volatile boolean running;
        volatile Integer exitCode;
        volatile long pid;
        volatile Path dir;
        /** conmon's sync pipe: the pid, then the exit code, or a message when the runtime failed. */
        volatile FileChannel sync;
        volatile String error;
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        final CompletableFuture<Long> started = new CompletableFuture<>();
        /** The newest terminal size a client asked for ({height, width}); null until one does. */
        volatile int[] size;
        final Object sizeLock = new Object();

        Exec(String id, String containerId, JsonNode config) {
            this.id = id;
            this.containerId = containerId;
            this.config = config;
        }

        boolean tty() {
            return config.path("Tty").asBoolean(false);
        }
    }

    private ConmonRuntime runtime() {
        if (runtime == null) {
            throw BerthException.system("this host cannot run containers", null);
        }
        return runtime;
    }

    private Path execRoot() {
        return runtime().socketDir().resolveSibling("exec");
    }

    /** A running container, or Docker's 409. */
    private ContainerRecord running(String ref) {
        ContainerRecord r = containers.resolve(ref);
        if (!r.running()) {
            throw BerthException.conflict("container " + r.id() + " is not running");
        }
        return r;
    }

    // ---- create / inspect ----

    public String create(String ref, JsonNode body) {
        ContainerRecord r = running(ref);
        JsonNode cmd = body.path("Cmd");
        if (!cmd.isArray() || cmd.isEmpty()) {
            throw BerthException.invalid("No exec command specified");
        }
        DetachKeys.parse(body.path("DetachKeys").asText(""));
        // Docker drops a container's exec instances with the container: so do we, lazily.
        execs.values().removeIf(x -> !x.running && containers.store().get(x.containerId).isEmpty());
        String id = Names.newId();
        execs.put(id, new Exec(id, r.id(), body.deepCopy()));
        return id;
    }

    private Exec exec(String id) {
        Exec e = id == null ? null : execs.get(id);
        if (e == null) {
            throw BerthException.notFound("No such exec instance: " + id);
        }
        return e;
    }

    public Map<String, Object> inspect(String id) {
        Exec e = exec(id);
        refreshExit(e);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CanRemove", false);
        m.put("ContainerID", e.containerId);
        m.put("DetachKeys", e.config.path("DetachKeys").asText(""));
        m.put("ExitCode", e.exitCode);
        m.put("ID", e.id);
        m.put("OpenStderr", e.config.path("AttachStderr").asBoolean(false));
        m.put("OpenStdin", e.config.path("AttachStdin").asBoolean(false));
        m.put("OpenStdout", e.config.path("AttachStdout").asBoolean(false));
        m.put("Running", e.running);
        m.put("Pid", e.running ? e.pid : 0);
        Map<String, Object> pc = new LinkedHashMap<>();
        List<String> cmd = new ArrayList<>();
        e.config.path("Cmd").forEach(c -> cmd.add(c.asText()));
        pc.put("arguments", cmd.subList(1, cmd.size()));
        pc.put("entrypoint", cmd.getFirst());
        pc.put("privileged", e.config.path("Privileged").asBoolean(false));
        pc.put("tty", e.tty());
        pc.put("user", e.config.path("User").asText(""));
        m.put("ProcessConfig", pc);
        return m;
    }

    /** A conmon killed without a word leaves the sync pipe silent: the exit is then found here, when asked. */
    private void refreshExit(Exec e) {
        if (!e.running || e.dir == null) {
            return;
        }
        try {
            if (!conmonAlive(e.dir)) {
                finished(e, readInt(e.dir.resolve(e.containerId)).orElse(126));
            }
        } catch (IOException ex) {
            LOG.log(Level.FINE, "reading the exit of exec " + e.id, ex);
        }
    }

    private void finished(Exec e, int code) {
        synchronized (e) {
            if (!e.running) {
                return;
            }
            e.exitCode = code;
            e.running = false;
        }
        e.started.complete(0L);
        e.exit.complete(code);
        FileChannel sync = e.sync;
        if (sync != null) {
            try {
                sync.close(); // ends the reader, which is blocked on a pipe we also hold open
            } catch (IOException ignored) {
                // Closed already.
            }
        }
        Path dir = e.dir;
        try {
            LayerDirs.deleteRecursively(dir);
        } catch (IOException | RuntimeException ex) {
            LOG.log(Level.FINE, "removing " + dir, ex);
        }
    }

    /** Reads conmon's sync pipe: {@code {"data": pid}}, then {@code {"data": exit}}, or {@code {"data": -N, "message": …}}. */
    private void readSync(Exec e, FileChannel sync) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(Channels.newInputStream(sync), StandardCharsets.UTF_8))) {
            boolean pidSeen = false;
            String line;
            while ((line = r.readLine()) != null) {
                JsonNode n;
                try {
                    n = Json.MAPPER.readTree(line);
                } catch (IOException bad) {
                    continue;
                }
                long data = n.path("data").asLong();
                String message = n.path("message").asText("");
                if (!pidSeen && (data <= 0 || !message.isEmpty())) {
                    e.error = runtimeError(message);
                    finished(e, exitCodeFor(message));
                    return;
                }
                if (!pidSeen) {
                    pidSeen = true;
                    e.pid = data;
                    e.started.complete(data);
                    continue;
                }
                finished(e, (int) data);
                return;
            }
        } catch (IOException closed) {
            // finished() closed the pipe.
        }
    }

    /** moby's translateContainerdStartErr: a missing program is 127, anything else 126. */
    static int exitCodeFor(String message) {
        return message.contains("executable file not found") || message.contains("no such file or directory") ? 127 : 126;
    }

    /** runc logs {@code time=… level=error msg="…"}; Docker shows the msg as "OCI runtime exec failed: …: unknown". */
    static String runtimeError(String runtimeStderr) {
        String msg = runtimeStderr.strip();
        int at = msg.indexOf("msg=\"");
        if (at >= 0) {
            int end = msg.lastIndexOf('"');
            msg = msg.substring(at + 5, end > at + 5 ? end : msg.length()).replace("\\\"", "\"");
        }
        if (msg.isEmpty()) {
            msg = "exec failed";
        }
        return "OCI runtime exec failed: " + msg + ": unknown";
    }

    public void resize(String id, int height, int width) throws IOException {
        Exec e = exec(id);
        if (!e.running || e.dir == null) {
            throw BerthException.conflict("Exec " + id + " is not running");
        }
        ContainerAttach.checkSize(height, width); // a bad size is a 400 now, not a silent failure once it runs
        synchronized (e.sizeLock) {
            e.size = new int[] {height, width};
            if (e.started.isDone()) {
                ContainerAttach.resize(e.dir, height, width);
            }
        }
    }

    /**
     * conmon 2.1.6 queues sizes until it holds the exec's terminal, then reads the queue in one go and
     * applies its first line once per line (ctrl.c passes the buffer's start, not each line): a stale size
     * would win over the one the client's window has. So sizes are only stored until the process runs
     * (runc took the first from process.json's consoleSize), then the newest one goes out alone.
     */
    private static void resizeOnceRunning(Exec exec, Path dir) {
        exec.started.thenRun(() -> {
            synchronized (exec.sizeLock) {
                int[] s = exec.size;
                if (s != null && exec.running) {
                    try {
                        ContainerAttach.resize(dir, s[0], s[1]);
                    } catch (IOException | RuntimeException e) {
                        LOG.log(Level.FINE, "exec " + exec.id + ": size not applied", e);
                    }
                }
            }
        });
    }

    // ---- start ----

    /** An exec about to start, checked before the connection is hijacked so errors are still HTTP. */
    public final class Start {
        private final Exec exec;
        private final ContainerRecord container;
        private final boolean tty;
        private final ObjectNode process;

        Start(Exec exec, ContainerRecord container, boolean tty, ObjectNode process) {
            this.exec = exec;
            this.container = container;
            this.tty = tty;
            this.process = process;
        }

        public boolean tty() {
            return tty;
        }

        /** {@code Detach: true}: returns once the process runs. */
        public void detached() throws IOException {
            Path dir = prepare(false);
            if (tty) {
                resizeOnceRunning(exec, dir);
            }
            launch(dir, false, false, null);
            try {
                exec.started.get(CONNECT_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.FINE, "exec " + exec.id + " did not report its pid", e);
            }
            if (exec.error != null) {
                throw BerthException.system(exec.error, null);
            }
        }

        /** Streams until the process exits, the client detaches or goes away. */
        public AttachSession.End attached(InputStream in, OutputStream out, BooleanSupplier clientOpen, Runnable closeClient)
                throws IOException {
            boolean stdin = exec.config.path("AttachStdin").asBoolean(false);
            Path dir = prepare(stdin);
            Path startPipe = dir.resolve("start");
            AttachSocket.makeFifo(startPipe);
            AttachSocket socket;
            // Held read-write so that neither side's open blocks and our writes never meet a closed pipe.
            try (FileChannel start = FileChannel.open(startPipe, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                start.write(ByteBuffer.wrap("0\n".getBytes(StandardCharsets.US_ASCII))); // conmon's first read
                launch(dir, true, stdin, startPipe);
                try {
                    socket = AttachSocket.connect(dir, CONNECT_WAIT);
                } catch (IOException e) {
                    failed(dir, "conmon did not set up the exec's attach socket: " + e.getMessage());
                    throw e;
                }
                if (tty) {
                    resizeOnceRunning(exec, dir);
                }
                start.write(ByteBuffer.wrap("0\n".getBytes(StandardCharsets.US_ASCII))); // run the process
            }
            boolean stdout = exec.config.path("AttachStdout").asBoolean(false);
            AttachSession session = new AttachSession(socket, in, stdin, out, clientOpen, new AttachSession.Options(tty,
                    exec.config.path("AttachStdout").asBoolean(false), exec.config.path("AttachStderr").asBoolean(false),
                    true, DetachKeys.parse(exec.config.path("DetachKeys").asText(""))));
            return session.run("exec-" + exec.id.substring(0, 12), () -> {
                awaitExit(dir);
                if (exec.error != null && stdout) {
                    // moby writes a start failure into the stream, on stdout, for the client to show.
                    byte[] msg = (exec.error + "\r\n").getBytes(StandardCharsets.UTF_8);
                    try {
                        (tty ? new RawWriter(out) : new MultiplexedWriter(out)).write(StdStream.STDOUT, msg);
                    } catch (IOException gone) {
                        // Nobody is left to tell.
                    }
                }
            }, closeClient);
        }

        private Path prepare(boolean stdin) throws IOException {
            Path dir = execRoot().resolve(exec.id);
            Files.createDirectories(dir);
            exec.dir = dir;
            Files.write(dir.resolve("process.json"), Json.MAPPER.writeValueAsBytes(process));
            return dir;
        }

        private void launch(Path dir, boolean attach, boolean stdin, Path startPipe) throws IOException {
            ConmonRuntime rt = runtime();
            Path syncPipe = dir.resolve("sync");
            AttachSocket.makeFifo(syncPipe);
            exec.sync = FileChannel.open(syncPipe, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileChannel sync = exec.sync;
            // A platform thread: a blocking FIFO read would pin a virtual thread's carrier for the exec's lifetime.
            Thread.ofPlatform().daemon().name("berth-exec-sync-" + exec.id.substring(0, 12)).start(() -> readSync(exec, sync));
            List<String> cmd = new ArrayList<>(List.of("/bin/sh", "-c", attach
                    ? "exec 5<>\"$1\" 3<>\"$2\" 4>/dev/null; shift 2; exec \"$@\""
                    : "exec 5<>\"$1\"; shift; exec \"$@\"", "sh", syncPipe.toString()));
            if (attach) {
                cmd.add(startPipe.toString());
            }
            cmd.addAll(List.of(rt.conmonPath().toString(),
                    "--api-version", "1",
                    "-c", container.id(),
                    "-u", exec.id,
                    "-r", rt.runtimePath().toString(),
                    "-b", dir.toString(),
                    "-p", dir.resolve("pidfile").toString(),
                    "-P", dir.resolve("conmon.pid").toString(),
                    "-n", container.name(),
                    "--exit-dir", dir.toString(),
                    "-l", "none",
                    "--log-level", "info",
                    "--socket-dir-path", rt.socketDir().toString(),
                    "--runtime-arg", "--root=" + rt.runtimeRoot(),
                    "-e", "--exec-process-spec", dir.resolve("process.json").toString()));
            if (attach) {
                cmd.add("--exec-attach");
            }
            if (tty) {
                cmd.add("-t");
            }
            if (stdin) {
                cmd.add("-i");
            }
            ProcessBuilder pb = new ProcessBuilder(cmd);
            pb.environment().put("_OCI_SYNCPIPE", "5");
            if (attach) {
                pb.environment().put("_OCI_STARTPIPE", "3");
                pb.environment().put("_OCI_ATTACHPIPE", "4");
            }
            pb.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
            pb.redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("conmon.out").toFile()));
            pb.redirectErrorStream(true);
            synchronized (exec) {
                exec.launched = true;
                exec.running = true;
            }
            Process p = pb.start();
            try {
                if (!p.waitFor(CONMON_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                    p.destroyForcibly();
                    failed(dir, "conmon did not detach");
                    throw BerthException.system("exec " + exec.id + ": conmon did not detach", null);
                }
                if (p.exitValue() != 0) {
                    String why = failed(dir, "conmon exited with " + p.exitValue());
                    throw BerthException.system("exec " + exec.id + " failed: " + why, null);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while starting exec " + exec.id, e);
            }
        }

        private String failed(Path dir, String why) {
            String out;
            try {
                out = Files.readString(dir.resolve("conmon.out")).strip();
            } catch (IOException e) {
                out = "";
            }
            try {
                runtime().killMonitor(dir);
            } catch (IOException ignored) {
                // Nothing left to kill.
            }
            finished(exec, 126);
            return why + (out.isEmpty() ? "" : ": " + out);
        }

        /** The attach socket closed: conmon is about to report the exit on the sync pipe. */
        private void awaitExit(Path dir) {
            long deadline = System.nanoTime() + EXIT_WAIT.toNanos();
            try {
                while (exec.running && System.nanoTime() - deadline < 0) {
                    try {
                        exec.exit.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                        return;
                    } catch (TimeoutException e) {
                        if (!conmonAlive(dir)) {
                            // Gone without a word on the pipe: read what it left, once the reader had its chance.
                            exec.exit.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
                        }
                    }
                }
            } catch (TimeoutException | ExecutionException | IOException e) {
                LOG.log(Level.FINE, "exec " + exec.id + " ended without reporting its exit", e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            try {
                finished(exec, readInt(dir.resolve(container.id())).orElse(126));
            } catch (IOException e) {
                finished(exec, 126);
            }
        }
    }

    /** What one health probe gave: moby's HealthcheckResult. */
    record ProbeResult(java.time.Instant start, java.time.Instant end, int exitCode, String output) {
    }

    /**
     * A health probe, as moby's execProbe: {@code cmd} runs in the container with stdout and stderr
     * captured (the first {@code maxOutput} bytes kept), for at most {@code timeout}; past it the process
     * is killed and the result is -1. The exec instance is not kept.
     */
    ProbeResult probe(String containerId, List<String> cmd, Duration timeout, int maxOutput) throws IOException {
        ObjectNode body = Json.MAPPER.createObjectNode();
        ArrayNode c = body.putArray("Cmd");
        cmd.forEach(c::add);
        body.put("AttachStdout", true);
        body.put("AttachStderr", true);
        java.time.Instant start = java.time.Instant.now();
        String id = create(containerId, body);
        Exec e = execs.get(id);
        try {
            Start s = start(id, null);
            java.io.ByteArrayOutputStream framed = new java.io.ByteArrayOutputStream();
            OutputStream capped = new OutputStream() {
                @Override
                public void write(int b) {
                    write(new byte[] {(byte) b}, 0, 1);
                }

                @Override
                public void write(byte[] b, int off, int len) {
                    // Frames carry 8-byte headers: room for them on top of what is kept.
                    int room = maxOutput * 2 + 64 - framed.size();
                    framed.write(b, off, Math.max(0, Math.min(len, room)));
                }
            };
            CompletableFuture<Void> ran = CompletableFuture.runAsync(() -> {
                try {
                    s.attached(InputStream.nullInputStream(), capped, () -> true, () -> { });
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }, r -> Thread.ofVirtual().name("berth-probe-" + id.substring(0, 12)).start(r));
            try {
                ran.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException late) {
                long pid = e.pid;
                if (pid > 0) {
                    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
                }
                return new ProbeResult(start, java.time.Instant.now(), -1,
                        "Health check exceeded timeout (" + HealthCheck.goString(timeout) + ")");
            } catch (ExecutionException failed) {
                Throwable why = failed.getCause() instanceof java.io.UncheckedIOException u ? u.getCause() : failed.getCause();
                return new ProbeResult(start, java.time.Instant.now(), -1, String.valueOf(why.getMessage()));
            } catch (InterruptedException stop) {
                Thread.currentThread().interrupt();
                throw new IOException("health probe interrupted", stop);
            }
            refreshExit(e);
            Integer code = e.exitCode;
            String out = demultiplexed(framed.toByteArray(), maxOutput);
            if (e.error != null) {
                out = e.error;
            }
            return new ProbeResult(start, java.time.Instant.now(), code == null ? -1 : code, out);
        } finally {
            execs.remove(id);
        }
    }

    /** The payloads of stdout/stderr frames in order, cut at {@code max} bytes. */
    static String demultiplexed(byte[] framed, int max) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int i = 0;
        while (i + 8 <= framed.length && out.size() < max) {
            int len = ((framed[i + 4] & 0xff) << 24) | ((framed[i + 5] & 0xff) << 16) | ((framed[i + 6] & 0xff) << 8) | (framed[i + 7] & 0xff);
            int n = Math.max(0, Math.min(Math.min(len, framed.length - i - 8), max - out.size()));
            out.write(framed, i + 8, n);
            i += 8 + len;
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    /**
     * Checks what Docker checks before its hijack: the instance exists and has not run, its container
     * runs, and its user resolves.
     */
    public Start start(String id, JsonNode body) {
        Exec e = exec(id);
        synchronized (e) {
            if (e.launched) {
                throw BerthException.conflict(e.running ? "Error: Exec command " + id + " is already running"
                        : "Error: Exec command " + id + " has already run");
            }
        }
        ContainerRecord r = running(e.containerId);
        boolean tty = body != null && body.has("Tty") ? body.path("Tty").asBoolean(false) : e.tty();
        int[] size = consoleSize(body != null && body.has("ConsoleSize") ? body.get("ConsoleSize") : e.config.get("ConsoleSize"));
        ObjectNode process = processSpec(e, r, tty, size);
        return new Start(e, r, tty, process);
    }

    private static int[] consoleSize(JsonNode n) {
        if (n == null || !n.isArray() || n.size() != 2 || (n.get(0).asInt() == 0 && n.get(1).asInt() == 0)) {
            return null;
        }
        return new int[] {n.get(0).asInt(), n.get(1).asInt()};
    }

    /** The container's own process (capabilities, rlimits, env, user) with the exec's command and overrides, as podman's prepareProcessExec. */
    private ObjectNode processSpec(Exec e, ContainerRecord r, boolean tty, int[] size) {
        Path bundle = containersDir.resolve(r.id());
        JsonNode spec;
        try {
            spec = Json.MAPPER.readTree(bundle.resolve("config.json").toFile());
        } catch (IOException ex) {
            throw BerthException.system("reading the spec of container " + r.id() + " failed: " + ex.getMessage(), ex);
        }
        ObjectNode p = ((ObjectNode) spec.path("process")).deepCopy();
        ArrayNode args = p.putArray("args");
        e.config.path("Cmd").forEach(c -> args.add(c.asText()));
        p.put("terminal", tty);
        p.remove("consoleSize");
        if (tty && size != null) {
            ObjectNode cs = p.putObject("consoleSize");
            cs.put("height", size[0]);
            cs.put("width", size[1]);
        }
        Map<String, String> env = new LinkedHashMap<>();
        p.path("env").forEach(v -> put(env, v.asText()));
        if (tty && !env.containsKey("TERM")) {
            env.put("TERM", "xterm");
        }
        e.config.path("Env").forEach(v -> put(env, v.asText()));
        ArrayNode envOut = p.putArray("env");
        env.forEach((k, v) -> envOut.add(v == null ? k : k + "=" + v));
        String cwd = e.config.path("WorkingDir").asText("");
        if (!cwd.isEmpty()) {
            if (!cwd.startsWith("/")) {
                throw BerthException.invalid("the working directory '" + cwd + "' is invalid, it needs to be an absolute path");
            }
            p.put("cwd", cwd);
        }
        String user = e.config.path("User").asText("");
        if (!user.isEmpty()) {
            ContainerUsers.Resolved u = ContainerUsers.resolve(new RootFs(bundle).merged(), user);
            ObjectNode uo = p.putObject("user");
            uo.put("uid", u.uid());
            uo.put("gid", u.gid());
            if (!u.additionalGids().isEmpty()) {
                ArrayNode g = uo.putArray("additionalGids");
                u.additionalGids().forEach(g::add);
            }
        }
        return p;
    }

    private static void put(Map<String, String> env, String kv) {
        int eq = kv.indexOf('=');
        if (eq < 0) {
            env.put(kv, null);
        } else {
            env.put(kv.substring(0, eq), kv.substring(eq + 1));
        }
    }

    private static boolean conmonAlive(Path dir) throws IOException {
        OptionalLong pid = readLong(dir.resolve("conmon.pid"));
        return pid.isPresent() && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false);
    }

    private static OptionalInt readInt(Path f) throws IOException {
        OptionalLong v = readLong(f);
        return v.isPresent() ? OptionalInt.of((int) v.getAsLong()) : OptionalInt.empty();
    }

    private static OptionalLong readLong(Path f) throws IOException {
        try {
            String s = Files.readString(f).trim();
            return s.isEmpty() ? OptionalLong.empty() : OptionalLong.of(Long.parseLong(s));
        } catch (NoSuchFileException e) {
            return OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }
}
