package dev.berth.engine.containers;

import dev.berth.engine.format.Units;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.images.ImageRecord;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.logs.LogOptions;
import dev.berth.engine.logs.LogStreamer;
import dev.berth.engine.runtime.ConmonRuntime;
import dev.berth.engine.runtime.CreateOptions;
import dev.berth.engine.runtime.HostSettings;
import dev.berth.engine.runtime.ImageFiles;
import dev.berth.engine.runtime.OciSpecBuilder;
import dev.berth.engine.runtime.RootFs;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import dev.berth.images.layer.LayerDirs;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Containers: the catalog row is the truth about what a container is and whether it should be
 * running; conmon + runc do the running. Each running container has a virtual thread that waits for
 * conmon's exit file and records the exit, so state survives without the daemon holding any child.
 *
 * <p>Networking: see {@link ContainerNetwork}; "default"/"bridge" join the engine's bridge network,
 * or get loopback only (with a warning) when the engine has none.
 */
public final class ContainerService implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(ContainerService.class.getName());
    static final Duration KILL_WAIT = Duration.ofSeconds(30);
    static final int DEFAULT_STOP_TIMEOUT = 10;
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private final ContainerStore store;
    private final ImageService images;
    private final ConmonRuntime runtime;
    private final String runtimeProblem;
    private final OciSpecBuilder specs;
    private final Path containersDir;
    private final ContainerNetwork network;
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private volatile boolean closed;

    /** What only this daemon process knows about a container: its lock and the futures waiters hold. */
    private static final class Live {
        /** Completed at the next exit, then replaced, so "next-exit" waiters before a start still see it. */
        CompletableFuture<Integer> nextExit = new CompletableFuture<>();
        /** Completed with the last exit code when the container is removed. */
        final CompletableFuture<Integer> removed = new CompletableFuture<>();
        /** Attach streams still delivering output; an auto-remove waits for them (bounded). */
        final java.util.Set<CompletableFuture<Void>> attached = ConcurrentHashMap.newKeySet();
        final List<LogStreamer> logs = new java.util.concurrent.CopyOnWriteArrayList<>();
    }

    public record Created(String id, List<String> warnings) {
    }

    /**
     * @param runtime        null when this host cannot run containers; {@code runtimeProblem} says why
     */
    public ContainerService(ContainerStore store, ImageService images, ConmonRuntime runtime, String runtimeProblem,
                            OciSpecBuilder specs, Path containersDir) throws IOException {
        this(store, images, runtime, runtimeProblem, specs, containersDir, null, "no bridge network configured");
    }

    /**
     * @param networks the engine's networks, or null; without a default bridge in it, containers get
     *                 loopback only ({@code bridgeProblem} says why)
     */
    public ContainerService(ContainerStore store, ImageService images, ConmonRuntime runtime, String runtimeProblem,
                            OciSpecBuilder specs, Path containersDir, dev.berth.engine.network.NetworkService networks,
                            String bridgeProblem) throws IOException {
        this.network = new ContainerNetwork(networks, bridgeProblem, store, containersDir);
        if (networks != null) {
            networks.setEndpoints(network::endpointsOn);
        }
        this.store = store;
        this.images = images;
        this.runtime = runtime;
        this.runtimeProblem = runtimeProblem;
        this.specs = specs;
        this.containersDir = containersDir;
        Files.createDirectories(containersDir);
        recover();
    }

    private Live live(String id) {
        return live.computeIfAbsent(id, k -> new Live());
    }

    private ConmonRuntime runtime() {
        if (runtime == null) {
            throw BerthException.system("this host cannot run containers: " + runtimeProblem, null);
        }
        return runtime;
    }

    // ---- create ----

    public Created create(String requestedName, JsonNode body) throws IOException {
        ConmonRuntime rt = runtime();
        String imageName = body.path("Image").asText("");
        if (imageName.isEmpty()) {
            throw BerthException.invalid("no image specified: Config.Image is empty");
        }
        String name = requestedName == null || requestedName.isEmpty() ? null : Names.validate(requestedName);
        ImageRecord image = images.require(imageName);
        JsonNode hc = body.path("HostConfig");
        List<String> warnings = new ArrayList<>();
        String networkMode = network.mode(hc.path("NetworkMode").asText(""), hc, body.path("ExposedPorts"), warnings);
        String id = Names.newId();
        unsupported(hc);
        ObjectNode endpoints = network.endpoints(networkMode, body.path("NetworkingConfig"));
        EtcFiles.validate(hc);

        CreateOptions opts = new CreateOptions(
                strings(body.get("Cmd")), strings(body.get("Entrypoint")), orEmpty(strings(body.get("Env"))),
                body.path("WorkingDir").asText(""), body.path("User").asText(""), body.path("Tty").asBoolean(false),
                body.path("Hostname").asText(""), hc.path("ReadonlyRootfs").asBoolean(false),
                hc.path("Memory").asLong(0), hc.path("NanoCpus").asLong(0) / 1e9, Math.max(0, hc.path("PidsLimit").asLong(0)),
                labels(body.get("Labels")), network.netnsPath(id, networkMode), HostSettings.from(hc, networkMode));

        Path bundle = containersDir.resolve(id);
        OciSpecBuilder.Result spec = specs.build(id, new RootFs(bundle).merged(), images.config(image), opts,
                new ImageFiles(image.diffIds().reversed().stream().map(images.layers()::path).toList()));
        ContainerNetwork.applyToSpec(networkMode, spec.spec());
        EtcFiles.applyToSpec(spec.spec(), bundle);
        warnings.addAll(spec.warnings());

        ObjectNode config = Json.MAPPER.createObjectNode();
        ObjectNode cfg = body.deepCopy();
        cfg.remove("HostConfig");
        cfg.remove("NetworkingConfig");
        config.set("Config", cfg);
        ObjectNode hostConfig = hc.isObject() ? ((ObjectNode) hc).deepCopy() : Json.MAPPER.createObjectNode();
        hostConfig.put("NetworkMode", networkMode);
        opts.host().echoInto(hostConfig, opts.memoryBytes());
        config.set("HostConfig", hostConfig);
        config.set(ContainerNetwork.ENDPOINTS, endpoints);
        ArrayNode args = (ArrayNode) spec.spec().path("process").path("args");
        config.put("Path", args.get(0).asText());
        ArrayNode rest = config.putArray("Args");
        for (int i = 1; i < args.size(); i++) {
            rest.add(args.get(i).asText());
        }

        var mounts = mountsOrRefuse().plan(id, body, hc, images.config(image));
        try {
            mounts.applyTo(spec.spec());
            config.set(dev.berth.engine.volumes.ContainerMounts.KEY, mounts.toJson());
            populate(mounts, bundle, image);
            spec.writeTo(bundle);
            insertWithName(id, name, image, imageName, config);
        } catch (IOException | RuntimeException e) {
            mounts.abandon();
            LayerDirs.deleteRecursively(bundle);
            throw e;
        }
        live(id);
        LOG.fine(() -> "created container " + id + " with " + rt.name());
        return new Created(id, List.copyOf(warnings));
    }

    private void insertWithName(String id, String name, ImageRecord image, String imageName, ObjectNode config) {
        Instant now = Instant.now();
        if (name != null) {
            store.insert(new ContainerRecord(id, name, image.id().toString(), imageName, config, now,
                    ContainerRecord.State.CREATED, 0, 0, null, null));
            return;
        }
        for (int retry = 0; ; retry++) {
            try {
                store.insert(new ContainerRecord(id, Names.random(retry), image.id().toString(), imageName, config,
                        now, ContainerRecord.State.CREATED, 0, 0, null, null));
                return;
            } catch (BerthException e) {
                if (e.category() != ErrorCategory.CONFLICT || retry >= 10) {
                    throw e;
                }
            }
        }
    }

    /** Refused rather than silently ignored, so nobody believes a volume or a port is there. */
    private static void unsupported(JsonNode hc) {
        for (String field : List.of("VolumesFrom", "Links")) {
            JsonNode n = hc.get(field);
            if (n != null && !n.isNull() && !n.isEmpty()) {
                throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "HostConfig." + field + " is not supported by Berth yet");
            }
        }
    }

    private static List<String> strings(JsonNode n) {
        if (n == null || n.isNull()) {
            return null;
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        List<String> out = new ArrayList<>();
        n.forEach(e -> out.add(e.asText()));
        return out;
    }

    private static List<String> orEmpty(List<String> l) {
        return l == null ? List.of() : l;
    }

    private static Map<String, String> labels(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    // ---- lookup ----

    /** Docker's order: full ID, then exact name, then a unique ID prefix. */
    public ContainerRecord resolve(String ref) {
        if (ref == null || ref.isEmpty()) {
            throw BerthException.notFound("No such container: " + ref);
        }
        if (ref.length() == 64) {
            var r = store.get(ref);
            if (r.isPresent()) {
                return r.get();
            }
        }
        var byName = store.byName(ref.startsWith("/") ? ref.substring(1) : ref);
        if (byName.isPresent()) {
            return byName.get();
        }
        if (ref.matches("[0-9a-f]+")) {
            List<ContainerRecord> found = store.byIdPrefix(ref);
            if (found.size() == 1) {
                return found.getFirst();
            }
            if (found.size() > 1) {
                throw BerthException.invalid("multiple IDs found with provided prefix: " + ref);
            }
        }
        throw BerthException.notFound("No such container: " + ref);
    }

    // ---- start / exit ----

    /** @return false when it was running already (the API's 304) */
    public boolean start(String ref) throws IOException {
        ConmonRuntime rt = runtime();
        String id = resolve(ref).id();
        Live l = live(id);
        synchronized (l) {
            ContainerRecord r = store.get(id).orElseThrow(() -> BerthException.notFound("No such container: " + ref));
            if (r.running()) {
                return false;
            }
            Path bundle = containersDir.resolve(id);
            RootFs rootfs = new RootFs(bundle);
            try {
                ImageRecord image = images.require(r.imageId());
                rootfs.mount(image.diffIds().reversed().stream().map(images.layers()::path).toList());
                // A previous run's runtime record would make create fail with "already exists".
                rt.delete(id, true);
                network.setUp(r);
                mountsOrRefuse().starting(id, r.config());
                var created = rt.create(id, bundle, r.tty());
                rt.start(id);
                store.update(r.started(created.containerPid(), Instant.now()));
            } catch (IOException | RuntimeException e) {
                cleanupFailedStart(id, bundle, rootfs);
                throw e;
            }
            watch(id);
            return true;
        }
    }

    private void cleanupFailedStart(String id, Path bundle, RootFs rootfs) {
        try {
            runtime.delete(id, true);
            runtime.killMonitor(bundle);
            runtime.clearExit(id);
            rootfs.unmount();
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cleanup after a failed start of " + id + " failed", e);
        }
        network.tearDown(id);
    }

    private void watch(String id) {
        Thread.ofVirtual().name("berth-watch-" + id.substring(0, 12)).start(() -> {
            try {
                while (!closed) {
                    OptionalInt code = runtime.awaitExit(id, Duration.ofMillis(500));
                    if (code.isPresent()) {
                        exited(id, code.getAsInt());
                        return;
                    }
                    if (runtime.state(id).isEmpty() && runtime.exitCode(id).isEmpty()) {
                        // Gone without an exit record (runc state wiped, host rebooted): Docker's 255.
                        exited(id, 255);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "watching container " + id + " failed", e);
            }
        });
    }

    /** Records the exit, frees the mount and the runtime's record, then wakes waiters: they see it all done. */
    private void exited(String id, int code) throws IOException {
        Live l = live(id);
        CompletableFuture<Integer> woken;
        boolean autoRemove;
        synchronized (l) {
            var r = store.get(id);
            if (r.isEmpty() || !r.get().running()) {
                return;
            }
            autoRemove = r.get().config().path("HostConfig").path("AutoRemove").asBoolean(false);
            store.update(r.get().exited(code, Instant.now()));
            try {
                runtime.delete(id, false);
                new RootFs(containersDir.resolve(id)).unmount();
                runtime.clearExit(id);
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cleanup after the exit of " + id + " failed", e);
            }
            network.tearDown(id);
            mountsOrRefuse().stopped(id, r.get().config(), other -> store.get(other).map(ContainerRecord::running).orElse(false));
            woken = l.nextExit;
            l.nextExit = new CompletableFuture<>();
        }
        woken.complete(code);
        if (autoRemove) {
            autoRemove(id, l);
        }
    }

    /** --rm: once attached clients have had the output (bounded), the container goes, like Docker's. */
    private void autoRemove(String id, Live l) {
        Thread.ofVirtual().name("berth-autoremove-" + id.substring(0, 12)).start(() -> {
            try {
                CompletableFuture.allOf(l.attached.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                LOG.log(Level.FINE, "attach streams of " + id + " did not finish before the auto-remove", e);
            }
            try {
                if (store.get(id).isPresent()) {
                    remove(id, false, true);
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                LOG.log(Level.WARNING, "auto-removing " + id + " failed", e);
            }
        });
    }

    /** After a daemon restart: adopt what still runs, record what exited meanwhile. */
    private void recover() throws IOException {
        for (ContainerRecord r : store.all()) {
            live(r.id());
            if (!r.running()) {
                network.tearDown(r.id()); // exited while the daemon was down, or a start it crashed in
                continue;
            }
            if (runtime == null) {
                store.update(r.exited(255, Instant.now()));
                network.tearDown(r.id());
                continue;
            }
            network.adopt(r);
            watch(r.id());
        }
    }

    // ---- wait / stop / kill ----

    public enum WaitCondition {
        NOT_RUNNING, NEXT_EXIT, REMOVED;

        public static WaitCondition parse(String s) {
            return switch (s == null ? "" : s) {
                case "", "not-running" -> NOT_RUNNING;
                case "next-exit" -> NEXT_EXIT;
                case "removed" -> REMOVED;
                default -> throw BerthException.invalid("invalid condition: \"" + s + "\"");
            };
        }
    }

    /** Resolves the container now (so a 404 is still an HTTP error) and returns what completes with the code. */
    public CompletableFuture<Integer> waitFor(String ref, WaitCondition condition) {
        ContainerRecord r = resolve(ref);
        Live l = live(r.id());
        synchronized (l) {
            ContainerRecord now = store.get(r.id()).orElse(r);
            return switch (condition) {
                case NOT_RUNNING -> now.running() ? l.nextExit : CompletableFuture.completedFuture(now.exitCode());
                case NEXT_EXIT -> l.nextExit;
                case REMOVED -> l.removed;
            };
        }
    }

    /** @return false when it was not running (the API's 304) */
    public boolean stop(String ref, Integer timeoutSeconds, String signal) throws IOException, InterruptedException {
        ContainerRecord r = resolve(ref);
        Live l = live(r.id());
        CompletableFuture<Integer> exit;
        synchronized (l) {
            if (!store.get(r.id()).map(ContainerRecord::running).orElse(false)) {
                return false;
            }
            exit = l.nextExit;
        }
        JsonNode cfg = r.config().path("Config");
        String sig = signal != null && !signal.isEmpty() ? signal : cfg.path("StopSignal").asText("");
        int t = timeoutSeconds != null ? timeoutSeconds : cfg.path("StopTimeout").asInt(DEFAULT_STOP_TIMEOUT);
        signalIgnoringExit(r.id(), sig.isEmpty() ? Signals.SIGTERM : Signals.parse(sig), exit);
        if (t >= 0 && !await(exit, Duration.ofSeconds(t))) {
            signalIgnoringExit(r.id(), Signals.SIGKILL, exit);
        }
        if (!await(exit, t < 0 ? Duration.ofDays(365) : KILL_WAIT)) {
            throw BerthException.system("container " + r.id() + " did not exit after SIGKILL", null);
        }
        return true;
    }

    /** Between our check and the signal the container may exit; runc then says "not running", which is fine. */
    private void signalIgnoringExit(String id, int signal, CompletableFuture<Integer> exit) throws IOException {
        try {
            runtime().kill(id, signal, false);
        } catch (BerthException e) {
            if (!exit.isDone() && runtime.exitCode(id).isEmpty()) {
                throw e;
            }
        }
    }

    private static boolean await(CompletableFuture<Integer> f, Duration d) throws InterruptedException {
        try {
            f.get(d.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            throw BerthException.system("waiting for the exit failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    public void kill(String ref, String signal) throws IOException {
        ContainerRecord r = resolve(ref);
        int sig = signal == null || signal.isEmpty() ? Signals.SIGKILL : Signals.parse(signal);
        Live l = live(r.id());
        synchronized (l) {
            if (!store.get(r.id()).map(ContainerRecord::running).orElse(false)) {
                throw BerthException.conflict("cannot kill container: " + ref + ": container " + r.id() + " is not running");
            }
            runtime().kill(r.id(), sig, false);
        }
    }

    // ---- remove ----

    public void remove(String ref, boolean force) throws IOException, InterruptedException {
        remove(ref, force, false);
    }

    /** @param removeVolumes {@code rm -v}: the container's anonymous volumes go too, unless another container uses them */
    public void remove(String ref, boolean force, boolean removeVolumes) throws IOException, InterruptedException {
        ContainerRecord r = resolve(ref);
        Live l = live(r.id());
        CompletableFuture<Integer> exit;
        int removedExitCode;
        synchronized (l) {
            ContainerRecord now = store.get(r.id()).orElseThrow(() -> BerthException.notFound("No such container: " + ref));
            if (now.running() && !force) {
                throw BerthException.conflict("cannot remove container \"/" + now.name()
                        + "\": container is running: stop the container before removing or force remove");
            }
            exit = now.running() ? l.nextExit : null;
        }
        if (exit != null) {
            signalIgnoringExit(r.id(), Signals.SIGKILL, exit);
            if (!await(exit, KILL_WAIT)) {
                throw BerthException.system("container " + r.id() + " did not exit after SIGKILL", null);
            }
        }
        synchronized (l) {
            Path bundle = containersDir.resolve(r.id());
            l.logs.forEach(LogStreamer::close);
            if (runtime != null) {
                runtime.delete(r.id(), true);
                runtime.killMonitor(bundle);
                runtime.clearExit(r.id());
            }
            network.tearDown(r.id());
            new RootFs(bundle).remove();
            LayerDirs.deleteRecursively(bundle);
            removedExitCode = store.get(r.id()).map(ContainerRecord::exitCode).orElse(0);
            store.delete(r.id());
            mountsOrRefuse().removed(r.id(), r.config(), removeVolumes);
            live.remove(r.id());
        }
        l.removed.complete(removedExitCode);
        l.nextExit.completeExceptionally(BerthException.notFound("No such container: " + ref));
    }

    // ---- logs ----

    /** Resolves and validates first, so that errors are still HTTP errors; then streams. */
    public interface LogTarget {
        void stream(OutputStream out) throws IOException;
    }

    public LogTarget logs(String ref, LogOptions options) {
        ContainerRecord r = resolve(ref);
        Path log = containersDir.resolve(r.id()).resolve("ctr.log");
        Live l = live(r.id());
        return out -> {
            if (!Files.exists(log)) {
                return;
            }
            LogStreamer s = new LogStreamer(log, r.tty(),
                    () -> !store.get(r.id()).map(ContainerRecord::running).orElse(false));
            l.logs.add(s);
            try {
                s.stream(options, out);
            } finally {
                l.logs.remove(s);
            }
        };
    }

    // ---- attach ----

    /**
     * Attach for stdout/stderr without conmon's attach socket: waits (up to {@code startWait}) for the
     * start that {@code docker run} sends right after attaching, then follows the container's k8s-file
     * log until the container exits. The log is the source, so output written before the follow began
     * is not lost; lines from before this attach are included only with {@code logs}.
     * Resolves now, so that a 404 is still an HTTP error.
     */
    public LogTarget attach(String ref, boolean stdout, boolean stderr, boolean logs, Duration startWait) {
        ContainerRecord r = resolve(ref);
        String id = r.id();
        Instant since = Instant.now();
        Live l = live(id);
        CompletableFuture<Integer> exit;
        synchronized (l) {
            exit = l.nextExit;
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        l.attached.add(done);
        return out -> {
            try {
                long deadline = System.nanoTime() + startWait.toNanos();
                while (true) {
                    var now = store.get(id);
                    if (now.isEmpty()) {
                        return;
                    }
                    if (now.get().running() || exit.isDone()) {
                        break;
                    }
                    if (System.nanoTime() - deadline > 0) {
                        return;
                    }
                    try {
                        Thread.sleep(20);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                LogOptions options = new LogOptions(stdout, stderr, true, false, logs ? null : since, null, LogOptions.ALL);
                logs(id, options).stream(out);
            } finally {
                l.attached.remove(done);
                done.complete(null);
            }
        };
    }

    public boolean tty(String ref) {
        return resolve(ref).tty();
    }

    // ---- list / inspect ----

    public List<Map<String, Object>> list(boolean all) {
        List<Map<String, Object>> out = new ArrayList<>();
        Instant now = Instant.now();
        for (ContainerRecord r : store.all()) {
            if (!all && !r.running()) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Id", r.id());
            m.put("Names", List.of("/" + r.name()));
            m.put("Image", r.imageName());
            m.put("ImageID", r.imageId());
            List<String> cmd = new ArrayList<>();
            cmd.add(r.config().path("Path").asText());
            r.config().path("Args").forEach(a -> cmd.add(a.asText()));
            m.put("Command", String.join(" ", cmd));
            m.put("Created", r.created().getEpochSecond());
            m.put("Ports", ContainerNetwork.psPorts(r));
            m.put("Labels", labels(r.config().path("Config").get("Labels")));
            m.put("State", r.state().apiName());
            m.put("Status", status(r, now));
            m.put("HostConfig", Map.of("NetworkMode", r.config().path("HostConfig").path("NetworkMode").asText("none")));
            m.put("NetworkSettings", Map.of("Networks", network.settings(r).get("Networks")));
            m.put("Mounts", dev.berth.engine.volumes.ContainerMounts.inspect(r.config()));
            out.add(m);
        }
        return out;
    }

    static String status(ContainerRecord r, Instant now) {
        return switch (r.state()) {
            case CREATED -> "Created";
            case RUNNING -> "Up " + Units.humanDuration(Duration.between(r.startedAt(), now));
            case EXITED -> "Exited (" + r.exitCode() + ") " + Units.humanDuration(Duration.between(r.finishedAt(), now)) + " ago";
        };
    }

    public Map<String, Object> inspect(String ref) {
        ContainerRecord r = resolve(ref);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Created", r.created().toString());
        m.put("Path", r.config().path("Path").asText());
        m.put("Args", r.config().path("Args"));
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", r.state().apiName());
        state.put("Running", r.running());
        state.put("Paused", false);
        state.put("Restarting", false);
        state.put("OOMKilled", false);
        state.put("Dead", false);
        state.put("Pid", r.running() ? r.pid() : 0);
        state.put("ExitCode", r.exitCode());
        state.put("Error", "");
        state.put("StartedAt", r.startedAt() == null ? ZERO_TIME : r.startedAt().toString());
        state.put("FinishedAt", r.finishedAt() == null ? ZERO_TIME : r.finishedAt().toString());
        m.put("State", state);
        m.put("Image", r.imageId());
        m.put("LogPath", containersDir.resolve(r.id()).resolve("ctr.log").toString());
        m.put("Name", "/" + r.name());
        m.put("RestartCount", 0);
        m.put("Driver", "overlay");
        m.put("Platform", "linux");
        m.put("HostConfig", r.config().path("HostConfig"));
        m.put("Config", r.config().path("Config"));
        m.put("NetworkSettings", network.settings(r));
        m.put("Mounts", dev.berth.engine.volumes.ContainerMounts.inspect(r.config()));
        return m;
    }

    /** Stops watching; containers keep running under conmon and are adopted by the next daemon. */
    @Override
    public void close() {
        closed = true;
        for (Live l : live.values()) {
            l.logs.forEach(LogStreamer::close);
            l.nextExit.completeExceptionally(BerthException.system("the daemon is shutting down", null));
        }
    }

    // ---- volumes and mounts ----

    private volatile dev.berth.engine.volumes.ContainerMounts mounts;
    private final java.util.concurrent.CountDownLatch mountsSet = new java.util.concurrent.CountDownLatch(1);

    /** Wired by the engine once the volume service exists, right after this service. */
    public void setMounts(dev.berth.engine.volumes.ContainerMounts mounts) {
        this.mounts = mounts;
        mountsSet.countDown();
    }

    /** An exit watcher started by {@link #recover} can get here before the engine has wired volumes: it waits. */
    private dev.berth.engine.volumes.ContainerMounts mountsOrRefuse() {
        try {
            if (!mountsSet.await(30, TimeUnit.SECONDS)) {
                throw BerthException.system("volumes are not set up in this engine", null);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw BerthException.system("interrupted while waiting for the volume service", e);
        }
        return mounts;
    }

    /** Docker copies image content into empty volumes at create: the rootfs is mounted just for that. */
    private void populate(dev.berth.engine.volumes.ContainerMounts.Plan plan, Path bundle, ImageRecord image) throws IOException {
        if (!plan.needsRootfs()) {
            return;
        }
        RootFs rootfs = new RootFs(bundle);
        try {
            plan.populate(rootfs.mount(image.diffIds().reversed().stream().map(images.layers()::path).toList()));
        } finally {
            rootfs.unmount();
        }
    }

    // ---- networks ----

    /** {@code POST /networks/{id}/connect}: the container resolved here, the network in {@link ContainerNetwork}. */
    public void connectNetwork(String networkRef, String containerRef, JsonNode endpointConfig) {
        ContainerRecord r = resolve(containerRef);
        synchronized (live(r.id())) {
            network.connect(r, networkRef, endpointConfig);
        }
    }

    public void disconnectNetwork(String networkRef, String containerRef, boolean force) {
        ContainerRecord r = resolve(containerRef);
        synchronized (live(r.id())) {
            network.disconnect(r, networkRef, force);
        }
    }

    // ---- files: diff, cp, export, commit ----

    /** What a file operation on a container gets: its record, its overlay, and the image layers under it, topmost first. */
    public interface RootFsWork<T> {
        T run(ContainerRecord container, RootFs rootfs, List<Path> lowersTopFirst) throws IOException;
    }

    /**
     * Runs {@code work} with the container's rootfs mounted when {@code mount} is set. A stopped
     * container's overlay is mounted for the work and unmounted after, under the container's lock so
     * that a start meanwhile neither races the mount nor loses it; a running one's is used as it is.
     */
    public <T> T withRootFs(String ref, boolean mount, RootFsWork<T> work) throws IOException {
        ContainerRecord r = resolve(ref);
        RootFs rootfs = new RootFs(containersDir.resolve(r.id()));
        List<Path> lowers = images.require(r.imageId()).diffIds().reversed().stream().map(images.layers()::path).toList();
        if (!mount || r.running()) {
            return work.run(r, rootfs, lowers);
        }
        synchronized (live(r.id())) {
            ContainerRecord now = store.get(r.id()).orElseThrow(() -> BerthException.notFound("No such container: " + ref));
            boolean wasMounted = rootfs.isMounted();
            rootfs.mount(lowers);
            try {
                return work.run(now, rootfs, lowers);
            } finally {
                if (!wasMounted && !store.get(r.id()).map(ContainerRecord::running).orElse(false)) {
                    rootfs.unmount();
                }
            }
        }
    }
}
