package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.attach.AttachSession;
import dev.berth.engine.attach.DetachKeys;
import dev.berth.engine.logs.LogOptions;
import dev.berth.engine.runtime.AttachSocket;
import dev.berth.errors.BerthException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code POST /containers/{id}/attach} and {@code /resize} over conmon's attach socket and control FIFO,
 * as podman's oci_conmon_attach does.
 *
 * <p>{@code docker run} attaches before it starts the container, when there is no conmon yet. Such an
 * attach registers here and {@link ContainerService#start} calls {@link #created} between the runtime's
 * create and start: the socket exists then (conmon binds it before it runs the runtime) and the
 * process has not run, so not a byte of its output is missed and stdin is connected before it reads.
 * An attach to a running container connects at once and sees output from then on, as Docker's does.
 *
 * <p>stdin: conmon gets {@code -i} when the container has OpenStdin. With StdinOnce and no TTY, the
 * first attached client ending its stdin ends the container's ({@code echo hi | docker run -i busybox
 * cat}); otherwise conmon runs with {@code --leave-stdin-open}. With a TTY that is always so: closing
 * conmon's copy of the terminal master on a detach would leave nothing to type into on the next attach.
 */
public final class ContainerAttach {
    private static final Logger LOG = Logger.getLogger(ContainerAttach.class.getName());
    /** How long an attach waits for the start that follows it ({@code docker run}, {@code start -a}). */
    public static final Duration START_WAIT = Duration.ofSeconds(60);
    static final Duration CONNECT_WAIT = Duration.ofSeconds(5);

    private final ContainerService containers;
    private final Path containersDir;
    private final Map<String, Set<CompletableFuture<AttachSocket>>> pending = new ConcurrentHashMap<>();

    ContainerAttach(ContainerService containers, Path containersDir) {
        this.containers = containers;
        this.containersDir = containersDir;
    }

    static boolean openStdin(ContainerRecord r) {
        return r.config().path("Config").path("OpenStdin").asBoolean(false);
    }

    static boolean leaveStdinOpen(ContainerRecord r) {
        return r.tty() || !r.config().path("Config").path("StdinOnce").asBoolean(false);
    }

    /**
     * {@code HostConfig.ConsoleSize} becomes the process's {@code consoleSize}, as moby sets it: runc sizes
     * the terminal when it makes it, so the first thing the process sees is the client's size, not 0x0.
     * Written to conmon's control FIFO instead, the size arrived whenever conmon got to it, and a quick
     * {@code stty size} could still read 0x0.
     */
    static void applyConsoleSize(ObjectNode spec, JsonNode hostConfig, boolean tty) {
        JsonNode size = hostConfig.path("ConsoleSize");
        if (tty && size.isArray() && size.size() == 2 && size.get(0).asInt() > 0 && size.get(1).asInt() > 0) {
            ObjectNode box = ((ObjectNode) spec.path("process")).putObject("consoleSize");
            box.put("height", size.get(0).asInt());
            box.put("width", size.get(1).asInt());
        }
    }

    /** Called by start between the runtime's create and start: connects every attach waiting for it. */
    void created(ContainerRecord r, Path bundle) {
        String id = r.id();
        Set<CompletableFuture<AttachSocket>> waiting = pending.remove(id);
        if (waiting == null) {
            return;
        }
        for (CompletableFuture<AttachSocket> f : waiting) {
            try {
                AttachSocket s = AttachSocket.connect(bundle, CONNECT_WAIT);
                if (!f.complete(s)) {
                    s.close(); // the client gave up meanwhile
                }
            } catch (IOException | RuntimeException e) {
                f.completeExceptionally(e);
            }
        }
    }

    /** What the client asked for, checked before the connection is hijacked so errors are still HTTP. */
    public record Request(boolean stdin, boolean stdout, boolean stderr, boolean stream, boolean logs, String detachKeys) {
    }

    /** An attach ready to run: the container is resolved and the options are valid. */
    public final class Plan {
        private final ContainerRecord container;
        private final Request request;
        private final DetachKeys keys;
        /** Registered before the 101 goes out: the client may send the start as soon as it sees it. */
        private final CompletableFuture<AttachSocket> next = new CompletableFuture<>();

        Plan(ContainerRecord container, Request request, DetachKeys keys) {
            this.container = container;
            this.request = request;
            this.keys = keys;
            if (request.stream()) {
                pending.computeIfAbsent(container.id(), k -> ConcurrentHashMap.newKeySet()).add(next);
            }
        }

        public boolean tty() {
            return container.tty();
        }

        /**
         * Streams until the container exits, the client detaches or goes away. {@code closeClient} must
         * end the connection (and with it a blocked read of {@code in}).
         */
        public AttachSession.End run(InputStream in, OutputStream out, BooleanSupplier clientOpen, Runnable closeClient)
                throws IOException {
            String id = container.id();
            if (request.logs()) {
                LogOptions replay = new LogOptions(request.stdout(), request.stderr(), false, false, null, null, LogOptions.ALL);
                containers.logs(id, replay).stream(out);
            }
            if (!request.stream()) {
                closeClient.run();
                return AttachSession.End.EXITED;
            }
            AttachSocket socket = connect(id, next, clientOpen);
            if (socket == null) {
                closeClient.run();
                return AttachSession.End.EXITED;
            }
            boolean stdin = request.stdin() && openStdin(container);
            AttachSession session = new AttachSession(socket, in, stdin, out, clientOpen,
                    new AttachSession.Options(container.tty(), request.stdout(), request.stderr(), true, keys));
            return session.run(id.substring(0, 12), closeClient);
        }
    }

    public Plan plan(String ref, Request request) {
        ContainerRecord r = containers.resolve(ref);
        return new Plan(r, request, DetachKeys.parse(request.detachKeys()));
    }

    /** The socket of the running container, or of the next start; null if neither comes (removed, timed out, client gone). */
    private AttachSocket connect(String id, CompletableFuture<AttachSocket> next, BooleanSupplier clientOpen)
            throws IOException {
        AttachSocket result = null;
        try {
            result = awaitSocket(id, next, clientOpen);
            return result;
        } finally {
            Set<CompletableFuture<AttachSocket>> set = pending.get(id);
            if (set != null) {
                set.remove(next);
            }
            if (!next.cancel(false) && !next.isCompletedExceptionally()) {
                AttachSocket other = next.getNow(null);
                if (other != null && other != result) {
                    other.close(); // created() connected it after we had joined the running container
                }
            }
        }
    }

    private AttachSocket awaitSocket(String id, CompletableFuture<AttachSocket> next, BooleanSupplier clientOpen)
            throws IOException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        while (System.nanoTime() - deadline < 0) {
            try {
                return next.get(next.isDone() ? 0 : 20, TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                var r = containers.store().get(id);
                if (r.isEmpty() || !clientOpen.getAsBoolean()) {
                    return null;
                }
                if (r.get().running() && !next.isDone()) {
                    // Started before this attach registered: join it as it runs.
                    return AttachSocket.connect(containersDir.resolve(id), CONNECT_WAIT);
                }
            } catch (ExecutionException e) {
                LOG.log(Level.FINE, "attach to " + id + " failed", e.getCause());
                return null;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return null;
            }
        }
        return null;
    }

    static void checkSize(int height, int width) {
        if (height < 0 || width < 0) {
            throw BerthException.invalid("invalid terminal size " + height + "x" + width);
        }
    }

    /** {@code POST /containers/{id}/resize}: conmon's control FIFO, {@code "1 <height> <width>\n"} as podman writes it. */
    public void resize(String ref, int height, int width) throws IOException {
        ContainerRecord r = containers.resolve(ref);
        if (!r.running()) {
            throw BerthException.conflict("Container " + r.id() + " is not running");
        }
        resize(containersDir.resolve(r.id()), height, width);
    }

    static void resize(Path bundle, int height, int width) throws IOException {
        checkSize(height, width);
        TerminalSizeSender.send(bundle, height, width);
    }
}
