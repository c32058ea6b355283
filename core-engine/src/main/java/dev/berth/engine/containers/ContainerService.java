package dev.berth.engine.containers;

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
import dev.berth.engine.runtime.PhaseTimer;
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
import java.util.Optional;
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
    private final LifecycleStore lifecycle;
    private final ContainerEvents events = new ContainerEvents();
    private final RestartManager restarts = RestartManager.withRealTime();
    /** Containers that were not running when this daemon started: their restart policy is applied once. */
    private final List<String> bootCandidates = new ArrayList<>();
    /** Containers that exited while no daemon watched them, with their exit codes, until volumes are wired. */
    private final Map<String, Integer> exitedWhileDown = new java.util.LinkedHashMap<>();
    private final ContainerAttach attacher;
    private final ExecService execs;
    private final HealthMonitor health;

    /** What only this daemon process knows about a container: its lock and the futures waiters hold. */
    private static final class Live {
        /** Completed at the next exit, then replaced, so "next-exit" waiters before a start still see it. */
        CompletableFuture<Integer> nextExit = new CompletableFuture<>();
        /** Completed with the last exit code when the container is removed. */
        final CompletableFuture<Integer> removed = new CompletableFuture<>();
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
        this.lifecycle = new LifecycleStore(store.catalog());
        this.removals = new RemovalJournal(store.catalog());
        this.attacher = new ContainerAttach(this, containersDir);
        this.execs = new ExecService(this, runtime, containersDir);
        this.health = new HealthMonitor(execs, events, id -> lifecycle.get(id).paused());
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
        return create(requestedName, body, null);
    }

    /** @param platform {@code ?platform=} (API 1.41): the image must be for it, or Docker's 404 */
    public Created create(String requestedName, JsonNode body, String platform) throws IOException {
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
        RestartPolicy.validate(hc);
        HealthCheck.validate(body.path("Healthcheck"));
        LogRotation.validateDriver(body);
        LogRotation.of(body);
        String runtimeName = dev.berth.engine.runtime.RuntimeName.resolve(hc.path("Runtime").asText(""), rt.name());

        CreateOptions opts = new CreateOptions(
                strings(body.get("Cmd")), strings(body.get("Entrypoint")), orEmpty(strings(body.get("Env"))),
                body.path("WorkingDir").asText(""), body.path("User").asText(""), body.path("Tty").asBoolean(false),
                body.path("Hostname").asText(""), hc.path("ReadonlyRootfs").asBoolean(false),
                hc.path("Memory").asLong(0), hc.path("NanoCpus").asLong(0) / 1e9, Math.max(0, hc.path("PidsLimit").asLong(0)),
                labels(body.get("Labels")), network.netnsPath(id, networkMode), HostSettings.from(hc, networkMode, body.path("Hostname").asText(""),
                        body.path("Domainname").asText("")));

        Path bundle = containersDir.resolve(id);
        long t = PhaseTimer.start();
        var imageConfig = images.config(image);
        if (platform != null && !platform.isBlank()
                && !dev.berth.images.manifest.Platform.parse(platform).matches(imageConfig.platform())) {
            // moby's create: the docker CLI then tries to pull the image for the platform it asked for
            throw BerthException.notFound("image with reference " + imageName + " was found but does not match the specified platform: wanted "
                    + platform + ", actual: " + imageConfig.platform());
        }
        OciSpecBuilder.Result spec = specs.build(id, new RootFs(bundle).merged(), imageConfig, opts,
                new ImageFiles(image.diffIds().reversed().stream().map(images.layers()::path).toList()));
        ContainerNetwork.applyToSpec(networkMode, spec.spec());
        EtcFiles.applyToSpec(spec.spec(), bundle);
        ContainerAttach.applyConsoleSize(spec.spec(), hc, opts.tty());
        warnings.addAll(spec.warnings());

        ObjectNode config = Json.MAPPER.createObjectNode();
        ObjectNode cfg = body.deepCopy();
        cfg.remove("HostConfig");
        cfg.remove("NetworkingConfig");
        HealthCheck.mergeImages(cfg, imageConfig.config() == null ? null : imageConfig.config().healthcheck());
        config.set("Config", cfg);
        ObjectNode hostConfig = hc.isObject() ? ((ObjectNode) hc).deepCopy() : Json.MAPPER.createObjectNode();
        hostConfig.put("NetworkMode", networkMode);
        hostConfig.put("Runtime", runtimeName);
        opts.host().echoInto(hostConfig, opts.memoryBytes());
        config.set("HostConfig", hostConfig);
        config.set(ContainerNetwork.ENDPOINTS, endpoints);
        ArrayNode args = (ArrayNode) spec.spec().path("process").path("args");
        config.put("Path", args.get(0).asText());
        ArrayNode rest = config.putArray("Args");
        for (int i = 1; i < args.size(); i++) {
            rest.add(args.get(i).asText());
        }

        var mounts = mountsOrRefuse().plan(id, body, hc, images.config(image), from -> {
            try {
                return resolve(from).config();
            } catch (BerthException e) {
                throw BerthException.invalid(e.getMessage());
            }
        });
        try {
            mounts.applyTo(spec.spec());
            config.set(dev.berth.engine.volumes.ContainerMounts.KEY, mounts.toJson());
            t = PhaseTimer.end(t, "create.spec", id);
            populate(mounts, bundle, image);
            spec.writeTo(bundle);
            t = PhaseTimer.end(t, "create.write", id);
            insertWithName(id, name, image, imageName, config);
            PhaseTimer.end(t, "create.insert", id);
        } catch (IOException | RuntimeException e) {
            mounts.abandon();
            LayerDirs.deleteRecursively(bundle);
            IOException io = e instanceof IOException x ? x : e instanceof java.io.UncheckedIOException u ? u.getCause() : null;
            if (io != null) {
                // The JDK's "No space left on device" names no file: say whose files did not fit.
                throw new IOException("cannot write the files of container " + id + " in " + bundle + ": "
                        + io.getMessage(), io);
            }
            throw e;
        }
        live(id);
        store.get(id).ifPresent(r -> events.emit(r, "create"));
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
        JsonNode storage = hc.get("StorageOpt");
        if (storage != null && storage.isObject() && !storage.isEmpty()) {
            // moby's overlay2 answer on a host without xfs project quotas, which is every host Berth runs on
            throw BerthException.invalid("--storage-opt is supported only for overlay over xfs with 'pquota' mount option");
        }
        // DeviceRequests is --gpus: no device driver here, and ignoring it would start a container without its GPU.
        for (String field : List.of("Links", "DeviceRequests")) {
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
        runtime();
        String id = resolve(ref).id();
        Live l = live(id);
        synchronized (l) {
            ContainerRecord r = store.get(id).orElseThrow(() -> BerthException.notFound("No such container: " + ref));
            LifecycleState ls = lifecycle.get(id);
            if (r.running()) {
                if (ls.paused()) {
                    throw BerthException.conflict("cannot start a paused container, try unpause instead");
                }
                return false;
            }
            // A user's start is a fresh policy: Docker resets the backoff, the count and the manual stop.
            restarts.reset(id);
            lifecycle.put(id, ls.userStarted());
            startLocked(l, r);
            return true;
        }
    }

    /**
     * Mounts the rootfs, sets up the network and runs the container; holds the container's lock. A
     * failure leaves Docker's exit code (127, 126 or 128) and State.Error behind and is rethrown in
     * Docker's words.
     */
    private void startLocked(Live l, ContainerRecord r) throws IOException {
        ConmonRuntime rt = runtime();
        String id = r.id();
        Path bundle = containersDir.resolve(id);
        RootFs rootfs = new RootFs(bundle);
        ContainerRecord started;
        long t = PhaseTimer.start();
        try {
            ImageRecord image = images.require(r.imageId());
            rootfs.mount(image.diffIds().reversed().stream().map(images.layers()::path).toList());
            t = PhaseTimer.end(t, "start.mount", id);
            // A previous run's runtime record would make create fail with "already exists".
            rt.delete(id, true);
            t = PhaseTimer.end(t, "start.runtime-delete", id);
            network.setUp(r);
            mountsOrRefuse().starting(id, r.config());
            t = PhaseTimer.end(t, "start.network+volumes", id);
            LogRotation rotation = LogRotation.of(r.config());
            var created = rt.create(id, bundle, r.tty(), ContainerAttach.openStdin(r), ContainerAttach.leaveStdinOpen(r),
                    rotation.maxSize());
            t = PhaseTimer.end(t, "start.create", id);
            attacher.created(r, bundle);
            t = PhaseTimer.end(t, "start.attacher", id);
            rt.start(id);
            t = PhaseTimer.end(t, "start.runc-start", id);
            started = r.started(created.containerPid(), Instant.now());
            store.update(started);
            t = PhaseTimer.end(t, "start.store", id);
            // After the record says running: the watcher drops a container it finds not running.
            logRotation.watch(id, rt.logPath(bundle), rotation);
        } catch (IOException | RuntimeException e) {
            cleanupFailedStart(id, bundle, rootfs);
            StartFailure f = StartFailure.of(e instanceof RuntimeException re ? re
                    : BerthException.system(String.valueOf(e.getMessage()), e));
            store.update(new ContainerRecord(r.id(), r.name(), r.imageId(), r.imageName(), r.config(), r.created(),
                    r.state(), 0, f.exitCode(), r.startedAt(), r.finishedAt()));
            lifecycle.put(id, lifecycle.get(id).withRestarting(false).withError(f.error().getMessage()));
            // Attach streams and next-exit waiters of "docker run" must not wait for a run that never began.
            CompletableFuture<Integer> woken = l.nextExit;
            l.nextExit = new CompletableFuture<>();
            woken.complete(f.exitCode());
            if (r.config().path("HostConfig").path("AutoRemove").asBoolean(false)) {
                autoRemove(id, l);
            }
            throw f.error();
        }
        lifecycle.put(id, lifecycle.get(id).running());
        watch(id);
        events.emit(started, "start");
        startHealthCheck(started);
        PhaseTimer.end(t, "start.lifecycle+watch+event", id);
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
        watchers.start("berth-watch-" + id.substring(0, 12), () -> {
            try {
                while (!closed && !watchers.closed()) {
                    // The exit file wakes this at once; the timeout only paces the `runc state` check below.
                    OptionalInt code = runtime.awaitExit(id, Duration.ofSeconds(5));
                    if (code.isPresent()) {
                        if (PhaseTimer.ENABLED) {
                            PhaseTimer.at("exit.file-written", runtime.exitFileTime(id), id);
                            PhaseTimer.at("exit.seen", System.currentTimeMillis(), id);
                        }
                        watchers.record(() -> exited(id, code.getAsInt()));
                        return;
                    }
                    if (watchers.closed()) {
                        return;
                    }
                    if (runtime.state(id).isEmpty() && runtime.exitCode(id).isEmpty()) {
                        // Gone without an exit record (runc state wiped, host rebooted): Docker's 255.
                        watchers.record(() -> exited(id, 255));
                        return;
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | RuntimeException e) {
                if (!watchers.closed()) {
                    LOG.log(Level.WARNING, "watching container " + id + " failed", e);
                }
            }
        });
    }

    /**
     * Records the exit, frees the mount and the runtime's record, decides on a restart, then wakes
     * waiters: they see it all done.
     */
    private void exited(String id, int code) throws IOException {
        Live l = live(id);
        CompletableFuture<Integer> woken;
        boolean autoRemove;
        ContainerRecord r;
        boolean oom;
        Optional<Duration> restartIn;
        Duration ran;
        synchronized (l) {
            var found = store.get(id);
            if (found.isEmpty() || !found.get().running()) {
                return;
            }
            r = found.get();
            long t = PhaseTimer.start();
            Instant now = Instant.now();
            ran = r.startedAt() == null ? Duration.ZERO : Duration.between(r.startedAt(), now);
            autoRemove = r.config().path("HostConfig").path("AutoRemove").asBoolean(false);
            Path bundle = containersDir.resolve(id);
            oom = runtime.oomKilled(bundle);
            LifecycleState ls = lifecycle.get(id);
            restartIn = closed ? Optional.empty() : restarts.onExit(id, RestartPolicy.of(r.config().path("HostConfig")),
                    code, ls.manuallyStopped(), ls.restartCount(), ran);
            store.update(r.exited(code, now));
            lifecycle.put(id, ls.exited(oom, restartIn.isPresent()));
            t = PhaseTimer.end(t, "exit.store", id);
            network.tearDown(id);
            mountsOrRefuse().stopped(id, r.config(), other -> store.get(other).map(ContainerRecord::running).orElse(false));
            PhaseTimer.end(t, "exit.network+volumes", id);
            woken = l.nextExit;
            l.nextExit = new CompletableFuture<>();
        }
        if (oom) {
            events.emit(r, "oom");
        }
        health.stop(id);
        events.emit(r, "die", Map.of("exitCode", Integer.toString(code), "execDuration", Long.toString(ran.toSeconds())));
        woken.complete(code);
        boolean removing = autoRemove && restartIn.isEmpty();
        if (!removing) {
            // After the waiters are woken: `runc delete` is a ~30 ms fork that `docker wait` and an attached
            // `docker run` need not wait for. Under the lock, and only while the container is still stopped,
            // so that a start meanwhile (which deletes the runtime record itself) is never undone. A --rm
            // container skips this: its removal does the same, after answering (see remove).
            synchronized (l) {
                if (store.get(id).map(now -> !now.running()).orElse(false)) {
                    cleanUpAfterExit(id);
                }
            }
        }
        if (restartIn.isPresent()) {
            restarts.schedule(id, restartIn.get(), () -> restartByPolicy(id));
        } else if (autoRemove) {
            autoRemove(id, l);
        }
    }

    /** The runtime's record, the rootfs mount and the exit file of a container that has exited. */
    private void cleanUpAfterExit(String id) {
        long t = PhaseTimer.start();
        try {
            runtime.delete(id, false);
            t = PhaseTimer.end(t, "exit.runtime-delete", id);
            new RootFs(containersDir.resolve(id)).unmount();
            PhaseTimer.end(t, "exit.umount", id);
            runtime.clearExit(id);
        } catch (IOException | RuntimeException e) {
            LOG.log(Level.WARNING, "cleanup after the exit of " + id + " failed", e);
        }
    }

    /** The backoff is over: start again, unless a user stopped, started or removed it meanwhile. */
    private void restartByPolicy(String id) {
        Live l = live.get(id);
        if (l == null || closed) {
            return;
        }
        synchronized (l) {
            var r = store.get(id);
            if (r.isEmpty() || r.get().running() || !lifecycle.get(id).restarting()) {
                return;
            }
            try {
                startLocked(l, r.get());
            } catch (IOException | RuntimeException e) {
                if (!closed) { // at shutdown the catalog may close under it: expected, not worth a warning
                    LOG.log(Level.WARNING, "restarting " + id + " by its restart policy failed", e);
                }
            }
        }
    }

    /**
     * --rm: the container goes once it has exited. Attached clients need no wait: conmon's attach socket
     * delivers all output before the exit is recorded.
     */
    private void autoRemove(String id, Live l) {
        Thread.ofVirtual().name("berth-autoremove-" + id.substring(0, 12)).start(() -> {
            try {
                if (store.get(id).isPresent()) {
                    remove(id, false, true, true);
                }
            } catch (IOException | InterruptedException | RuntimeException e) {
                if (!closed) { // at shutdown the catalog may close under it: expected, not worth a warning
                    LOG.log(Level.WARNING, "auto-removing " + id + " failed", e);
                }
            }
        });
    }

    /** After a daemon restart: adopt what still runs, record what exited meanwhile. */
    private void recover() throws IOException {
        for (ContainerRecord r : store.all()) {
            live(r.id());
            if (!r.running()) {
                bootCandidates.add(r.id());
                network.tearDown(r.id()); // exited while the daemon was down, or a start it crashed in
                continue;
            }
            if (runtime == null) {
                store.update(r.exited(255, Instant.now()));
                network.tearDown(r.id());
                continue;
            }
            network.adopt(r);
            OptionalInt code = runtime.exitCode(r.id());
            if (code.isPresent()) {
                // Exited while no daemon watched: recorded before the API answers, as Docker's restore does,
                // but only once volumes are wired, since recording an exit releases the container's mounts.
                exitedWhileDown.put(r.id(), code.getAsInt());
                continue;
            }
            watch(r.id());
            logRotation.watch(r.id(), runtime.logPath(containersDir.resolve(r.id())), LogRotation.of(r.config()));
            startHealthCheck(r);
        }
    }

    /** Its check, if it has one (moby's initHealthMonitor); the image's was merged in at create. */
    private void startHealthCheck(ContainerRecord r) {
        JsonNode cfg = r.config().path("Config");
        HealthCheck.of(cfg.path("Healthcheck"), orEmpty(strings(cfg.get("Shell")))).ifPresent(check -> health.start(r, check));
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
                case NOT_RUNNING -> now.running() || lifecycle.get(now.id()).restarting() ? l.nextExit
                        : CompletableFuture.completedFuture(now.exitCode());
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
            ContainerRecord now = store.get(r.id()).orElse(r);
            LifecycleState ls = lifecycle.get(r.id());
            restarts.cancel(r.id());
            if (!now.running()) {
                if (!ls.restarting()) {
                    return false;
                }
                // Waiting out a backoff: calling the restart off is the whole stop, as in Docker.
                lifecycle.put(r.id(), ls.withRestarting(false).withManuallyStopped(true));
                wake(l, now.exitCode());
                events.emit(now, "stop");
                return true;
            }
            lifecycle.put(r.id(), ls.withManuallyStopped(true));
            exit = l.nextExit;
        }
        JsonNode cfg = r.config().path("Config");
        String configured = stopSignal(r);
        String sig = signal != null && !signal.isEmpty() ? signal : configured == null ? "" : configured;
        int t = timeoutSeconds != null ? timeoutSeconds : cfg.path("StopTimeout").asInt(DEFAULT_STOP_TIMEOUT);
        deliver(r, sig.isEmpty() ? Signals.SIGTERM : Signals.parse(sig), exit, true);
        if (t >= 0 && !await(exit, Duration.ofSeconds(t))) {
            deliver(r, Signals.SIGKILL, exit, true);
        }
        if (!await(exit, t < 0 ? Duration.ofDays(365) : KILL_WAIT)) {
            throw BerthException.system("container " + r.id() + " did not exit after SIGKILL", null);
        }
        events.emit(r, "stop");
        return true;
    }

    /** The container's StopSignal: its own config's, else its image's (Docker merges the two at create). */
    private String stopSignal(ContainerRecord r) {
        String own = r.config().path("Config").path("StopSignal").asText("");
        if (!own.isEmpty()) {
            return own;
        }
        try {
            var c = images.config(images.require(r.imageId())).config();
            return c == null || c.stopSignal() == null || c.stopSignal().isEmpty() ? null : c.stopSignal();
        } catch (RuntimeException e) {
            return null; // the image is gone: Docker's default applies
        }
    }

    /**
     * Signals the container (a "kill" event, as Docker's killWithSignal logs); a paused container is
     * resumed afterwards when {@code resume}, so that the signal is delivered.
     */
    private void deliver(ContainerRecord r, int sig, CompletableFuture<Integer> exit, boolean resume) throws IOException {
        signalIgnoringExit(r.id(), sig, exit);
        events.emit(r, "kill", Map.of("signal", Integer.toString(sig)));
        if (resume && lifecycle.get(r.id()).paused()) {
            try {
                runtime().resume(r.id());
            } catch (BerthException e) {
                // The signal can end it before the resume ("container not paused") while conmon has not
                // yet written the exit file: only a container runc still reports paused is an error.
                boolean stillPaused = runtime().state(r.id()).map(st -> "paused".equals(st.status())).orElse(false);
                if (!exit.isDone() && runtime.exitCode(r.id()).isEmpty() && stillPaused) {
                    throw e;
                }
            }
            lifecycle.put(r.id(), lifecycle.get(r.id()).withPaused(false));
        }
    }

    private static void wake(Live l, int code) {
        CompletableFuture<Integer> woken = l.nextExit;
        l.nextExit = new CompletableFuture<>();
        woken.complete(code);
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

    /** Any signal; SIGKILL (the default) waits, bounded, for the exit, as Docker's Kill does. */
    public void kill(String ref, String signal) throws IOException, InterruptedException {
        ContainerRecord r = resolve(ref);
        int sig = signal == null || signal.isEmpty() ? Signals.SIGKILL : Signals.parse(signal);
        Live l = live(r.id());
        CompletableFuture<Integer> exit;
        boolean exitOnNext;
        synchronized (l) {
            ContainerRecord now = store.get(r.id()).orElse(r);
            LifecycleState ls = lifecycle.get(r.id());
            if (!now.running()) {
                if (ls.restarting()) {
                    restarts.cancel(r.id());
                    lifecycle.put(r.id(), ls.withRestarting(false).withManuallyStopped(true));
                    wake(l, now.exitCode());
                    return;
                }
                throw BerthException.conflict("Cannot kill container: " + ref + ": container " + r.id() + " is not running");
            }
            // moby killWithSignal: only the stop signal (or SIGKILL, or any signal when none is configured)
            // means "do not restart"; every kill counts as a manual stop.
            String stopSignal = stopSignal(r);
            exitOnNext = sig == Signals.SIGKILL || stopSignal == null || Signals.parse(stopSignal) == sig;
            if (exitOnNext) {
                restarts.cancel(r.id());
            }
            lifecycle.put(r.id(), ls.withManuallyStopped(true));
            exit = l.nextExit;
        }
        deliver(r, sig, exit, exitOnNext);
        if (sig == Signals.SIGKILL) {
            await(exit, KILL_WAIT);
        }
    }

    // ---- remove ----

    public void remove(String ref, boolean force) throws IOException, InterruptedException {
        remove(ref, force, false);
    }

    /** @param removeVolumes {@code rm -v}: the container's anonymous volumes go too, unless another container uses them */
    public void remove(String ref, boolean force, boolean removeVolumes) throws IOException, InterruptedException {
        remove(ref, force, removeVolumes, false);
    }

    /**
     * @param filesAfter the runtime's record, the rootfs and the container's directory go after the removal is
     *                   answered ({@code wait?condition=removed}): --rm, whose `docker run` waits for exactly
     *                   that. The container is gone from the API and the catalog by then; what is left has
     *                   only its ID, which nothing reuses. {@link #close} waits for such cleanups.
     */
    private void remove(String ref, boolean force, boolean removeVolumes, boolean filesAfter)
            throws IOException, InterruptedException {
        ContainerRecord r = resolve(ref);
        Live l = live(r.id());
        CompletableFuture<Integer> exit;
        int removedExitCode;
        synchronized (l) {
            ContainerRecord now = store.get(r.id()).orElseThrow(() -> BerthException.notFound("No such container: " + ref));
            LifecycleState ls = lifecycle.get(r.id());
            if ((now.running() || ls.restarting()) && !force) {
                String state = ls.paused() ? "paused" : ls.restarting() ? "restarting" : "running";
                throw BerthException.conflict("cannot remove container \"/" + now.name() + "\": container is " + state + ": "
                        + (ls.paused() ? "unpause and then stop the container before attempting removal or force remove"
                        : "stop the container before removing or force remove"));
            }
            restarts.cancel(r.id());
            exit = now.running() ? l.nextExit : null;
        }
        if (exit != null) {
            deliver(r, Signals.SIGKILL, exit, true);
            if (!await(exit, KILL_WAIT)) {
                throw BerthException.system("container " + r.id() + " did not exit after SIGKILL", null);
            }
        }
        synchronized (l) {
            removals.mark(r.id(), removeVolumes); // first: a daemon killed from here on finishes it at its next start
            RemovalCrashPoint.at(RemovalCrashPoint.MARKED, r.id());
            long t = PhaseTimer.start();
            Path bundle = containersDir.resolve(r.id());
            l.logs.forEach(LogStreamer::close);
            if (!filesAfter) {
                removeFiles(r.id(), bundle);
            }
            t = PhaseTimer.end(t, "remove.runtime+files", r.id());
            network.tearDown(r.id());
            t = PhaseTimer.end(t, "remove.network", r.id());
            removedExitCode = store.get(r.id()).map(ContainerRecord::exitCode).orElse(0);
            store.delete(r.id());
            health.forget(r.id());
            t = PhaseTimer.end(t, "remove.store", r.id());
            mountsOrRefuse().removed(r.id(), r.config(), removeVolumes);
            live.remove(r.id());
            restarts.reset(r.id());
            if (!filesAfter) {
                removals.done(r.id());
            }
            PhaseTimer.end(t, "remove.volumes", r.id());
        }
        events.emit(r, "destroy");
        if (PhaseTimer.ENABLED) {
            PhaseTimer.at("remove.done", System.currentTimeMillis(), r.id());
        }
        l.removed.complete(removedExitCode);
        l.nextExit.completeExceptionally(BerthException.notFound("No such container: " + ref));
        if (filesAfter) {
            cleanups.run(() -> {
                RemovalCrashPoint.at(RemovalCrashPoint.ANSWERED, r.id());
                long t = PhaseTimer.start();
                removeFiles(r.id(), containersDir.resolve(r.id()));
                removals.done(r.id());
                PhaseTimer.end(t, "remove.after.runtime+files", r.id());
            });
        }
    }

    /** What a removed container leaves on disk and in the runtime. */
    private void removeFiles(String id, Path bundle) throws IOException {
        logRotation.forget(id);
        if (runtime != null) {
            runtime.delete(id, true);
            runtime.killMonitor(bundle);
            runtime.clearExit(id);
        }
        new RootFs(bundle).remove();
        LayerDirs.deleteRecursively(bundle);
    }

    // ---- logs ----

    /** Resolves and validates first, so that errors are still HTTP errors; then streams. */
    public interface LogTarget {
        void stream(OutputStream out) throws IOException;
    }

    public LogTarget logs(String ref, LogOptions options) {
        ContainerRecord r = resolve(ref);
        if (!LogRotation.readable(r.config())) {
            throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "configured logging driver does not support reading");
        }
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
            LifecycleState ls = lifecycle.get(r.id());
            m.put("State", DockerState.stateString(r, ls));
            m.put("Status", DockerState.status(r, ls, now) + (r.running() && !ls.paused() ? health.statusSuffix(r.id()) : ""));
            m.put("HostConfig", Map.of("NetworkMode", r.config().path("HostConfig").path("NetworkMode").asText("none")));
            m.put("NetworkSettings", Map.of("Networks", network.settings(r).get("Networks")));
            m.put("Mounts", dev.berth.engine.volumes.ContainerMounts.inspect(r.config()));
            out.add(m);
        }
        return out;
    }

    public Map<String, Object> inspect(String ref) {
        ContainerRecord r = resolve(ref);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Id", r.id());
        m.put("Created", r.created().toString());
        m.put("Path", r.config().path("Path").asText());
        m.put("Args", r.config().path("Args"));
        LifecycleState ls = lifecycle.get(r.id());
        Map<String, Object> state = DockerState.inspect(r, ls);
        Map<String, Object> healthState = health.inspect(r.id());
        if (healthState != null) {
            state.put("Health", healthState);
        }
        m.put("State", state);
        m.put("Image", r.imageId());
        m.put("LogPath", containersDir.resolve(r.id()).resolve("ctr.log").toString());
        m.put("Name", "/" + r.name());
        m.put("RestartCount", ls.restartCount());
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
        // Before the engine closes the catalog: an exit being recorded finishes, later ones wait for the next start.
        watchers.close(Duration.ofSeconds(10));
        cleanups.close(Duration.ofSeconds(10));
        restarts.close();
        logRotation.close();
        health.close();
        for (Live l : live.values()) {
            l.logs.forEach(LogStreamer::close);
            l.nextExit.completeExceptionally(BerthException.system("the daemon is shutting down", null));
        }
    }

    // ---- volumes and mounts ----

    private volatile dev.berth.engine.volumes.ContainerMounts mounts;
    private final java.util.concurrent.CountDownLatch mountsSet = new java.util.concurrent.CountDownLatch(1);

    /** Wired by the engine once the volume service exists, right after this service. */
    public void setMounts(dev.berth.engine.volumes.ContainerMounts mounts) throws IOException {
        this.mounts = mounts;
        mountsSet.countDown();
        for (var e : exitedWhileDown.entrySet()) {
            exited(e.getKey(), e.getValue());
        }
        exitedWhileDown.clear();
        new RemovalSweep(removals, store, containersDir, runtime).run((id, v) -> remove(id, true, v), this::removeFiles);
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
        boolean mountedHere = !rootfs.isMounted();
        try {
            plan.populate(rootfs.mount(image.diffIds().reversed().stream().map(images.layers()::path).toList()));
        } finally {
            if (mountedHere) {
                rootfs.unmount();
            }
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

    // ---- lifecycle: events, pause, rename, restart, restart policies at boot ----

    /** Container events go to {@code bus} from now on. */
    public void publishEventsTo(dev.berth.engine.events.EventBus bus) {
        events.publishTo(bus);
    }

    public void pause(String ref) throws IOException {
        ContainerRecord r = resolve(ref);
        Live l = live(r.id());
        synchronized (l) {
            ContainerRecord now = store.get(r.id()).orElse(r);
            LifecycleState ls = lifecycle.get(r.id());
            if (ls.restarting()) {
                throw BerthException.conflict("Container " + r.id() + " is restarting, wait until the container is running");
            }
            if (!now.running()) {
                throw BerthException.conflict("container " + r.id() + " is not running");
            }
            if (ls.paused()) {
                throw BerthException.conflict("Container " + r.id() + " is already paused");
            }
            runtime().pause(r.id());
            lifecycle.put(r.id(), ls.withPaused(true));
            events.emit(now, "pause");
        }
    }

    public void unpause(String ref) throws IOException {
        ContainerRecord r = resolve(ref);
        Live l = live(r.id());
        synchronized (l) {
            ContainerRecord now = store.get(r.id()).orElse(r);
            LifecycleState ls = lifecycle.get(r.id());
            if (!now.running() || !ls.paused()) {
                throw BerthException.conflict("Container " + r.id() + " is not paused");
            }
            runtime().resume(r.id());
            lifecycle.put(r.id(), ls.withPaused(false));
            events.emit(now, "unpause");
        }
    }

    /** moby daemon/rename.go: its checks, messages and the "rename" event with the old name. */
    public void rename(String ref, String newName) {
        if (newName == null || newName.isEmpty() || ref == null || ref.isEmpty()) {
            throw BerthException.invalid("Neither old nor new names may be empty");
        }
        String name = Names.validate(newName);
        ContainerRecord r = resolve(ref);
        Live l = live(r.id());
        synchronized (l) {
            if (name.equals(r.name())) {
                throw BerthException.invalid("Renaming a container with the same name as its current name");
            }
            store.rename(r.id(), name);
            ContainerRecord renamed = store.get(r.id()).orElse(r);
            // Peers resolve the new name, not the old one (moby updates the sandbox's DNS names too).
            network.adopt(renamed);
            events.emit(renamed, "rename", Map.of("oldName", "/" + r.name()));
        }
    }

    /** Stop (when running, or waiting to restart) with the stop timeout, then a user's start. */
    public void restart(String ref, Integer timeoutSeconds, String signal) throws IOException, InterruptedException {
        ContainerRecord r = resolve(ref);
        stop(r.id(), timeoutSeconds, signal);
        start(r.id());
        events.emit(store.get(r.id()).orElse(r), "restart");
    }

    /**
     * Once, after the daemon has started: containers that were not running get their restart policy
     * applied, as moby's restore does ({@code always} even after a user's stop, {@code unless-stopped}
     * not then, {@code on-failure} after a failure). Such a start is a user's start: counts reset.
     */
    public void restartOnBoot() {
        List<String> ids;
        synchronized (bootCandidates) {
            ids = List.copyOf(bootCandidates);
            bootCandidates.clear();
        }
        for (String id : ids) {
            Live l = live.get(id);
            if (l == null || runtime == null) {
                continue;
            }
            Thread.ofVirtual().name("berth-boot-" + id.substring(0, 12)).start(() -> {
                synchronized (l) {
                    var r = store.get(id);
                    if (r.isEmpty() || r.get().running()) {
                        return;
                    }
                    LifecycleState ls = lifecycle.get(id);
                    RestartPolicy policy = RestartPolicy.of(r.get().config().path("HostConfig"));
                    boolean restart = r.get().startedAt() != null
                            && policy.shouldRestart(r.get().exitCode(), ls.manuallyStopped(), ls.restartCount());
                    if (!restart) {
                        if (ls.restarting()) {
                            lifecycle.put(id, ls.withRestarting(false));
                        }
                        return;
                    }
                    lifecycle.put(id, ls.userStarted());
                    try {
                        startLocked(l, r.get());
                    } catch (IOException | RuntimeException e) {
                        LOG.log(Level.WARNING, "starting " + id + " by its restart policy at boot failed", e);
                    }
                }
            });
        }
    }

    // ---- attach and exec: see ContainerAttach and ExecService ----

    public ContainerAttach attacher() {
        return attacher;
    }

    public ExecService execs() {
        return execs;
    }

    ContainerStore store() {
        return store;
    }

    /** Keeps what conmon rotates away at max-size, up to max-file (started containers and adopted ones). */
    private final LogRotationWatcher logRotation = new LogRotationWatcher(this::runningNow);

    private boolean runningNow(String id) {
        return store.get(id).map(ContainerRecord::running).orElse(false);
    }

    /** {@code GET /containers/json}: every container goes to the query, since before and since may name a stopped one. */
    public List<Map<String, Object>> list(boolean all, int limit, Map<String, List<String>> filters) {
        return ContainerListQuery.apply(list(true), all, limit, filters, ref -> AncestorImages.of(images, ref));
    }

    private final ExitWatchers watchers = new ExitWatchers();

    /** --rm removals' file and runtime cleanup, done after the removal is answered. */
    private final PendingCleanups cleanups = new PendingCleanups();

    /** Removals under way, so that one cut short by a crash is finished at the next start. */
    private final RemovalJournal removals;

    /**
     * {@code docker update}: new resource limits (applied live with runc when the container runs) and
     * restart policy, kept in the catalog and the bundle's spec so inspect and the next start see them.
     */
    public List<String> update(String ref, JsonNode body) throws IOException {
        ContainerRecord r = resolve(ref);
        Live l = live(r.id());
        synchronized (l) {
            ContainerRecord now = store.get(r.id()).orElseThrow(() -> BerthException.notFound("No such container: " + ref));
            ContainerUpdate u = ContainerUpdate.plan(now, body, specs.resourceLimits());
            // Waiting to restart there is no runc container: the new spec applies at the next start (moby skips it too).
            if (now.running() && !lifecycle.get(now.id()).restarting()) {
                try {
                    runtime().update(now.id(), u.resources());
                } catch (BerthException e) {
                    throw BerthException.system("Cannot update container " + now.id() + ": " + e.getMessage(), e);
                }
            }
            u.rewriteSpec(containersDir.resolve(now.id()));
            store.updateConfig(now.id(), u.config());
            events.emit(store.get(now.id()).orElse(now), "update");
            return u.warnings();
        }
    }
}
