package dev.berth.engine.containers;

import dev.berth.engine.logs.RotatedLogKeeper;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs {@link RotatedLogKeeper#check()} for every running container with a max-file above 1, so that what
 * conmon rotates away at max-size is kept as {@code ctr.log.1 … .N-1}. One daemon thread, started with
 * the first such container; a container that stopped gets a last check and is dropped.
 */
final class LogRotationWatcher implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(LogRotationWatcher.class.getName());
    static final Duration INTERVAL = Duration.ofMillis(100);

    private final Predicate<String> running;
    private final Map<String, RotatedLogKeeper> keepers = new ConcurrentHashMap<>();
    private Thread thread;
    private volatile boolean closed;

    LogRotationWatcher(Predicate<String> running) {
        this.running = running;
    }

    /** Starts keeping rotated files of {@code log} for container {@code id} (idempotent). */
    void watch(String id, Path log, LogRotation rotation) {
        if (rotation.maxSize() <= 0 || rotation.maxFiles() <= 1 || closed) {
            return;
        }
        RotatedLogKeeper k = new RotatedLogKeeper(log, rotation.maxFiles());
        check(id, k);
        keepers.put(id, k);
        synchronized (this) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("berth-log-rotation").start(this::loop);
            }
        }
    }

    private void loop() {
        while (!closed) {
            for (Map.Entry<String, RotatedLogKeeper> e : keepers.entrySet()) {
                checkIfKept(e.getKey(), e.getValue());
                if (!running.test(e.getKey())) {
                    checkIfKept(e.getKey(), e.getValue());
                    keepers.remove(e.getKey(), e.getValue());
                }
            }
            try {
                Thread.sleep(INTERVAL);
            } catch (InterruptedException ie) {
                return;
            }
        }
    }

    /**
     * Stops keeping {@code id}'s files and returns once no check of them runs: a removal deletes the
     * container's directory next, and a last check writing {@code ctr.log.N} into it would make that fail.
     */
    void forget(String id) {
        RotatedLogKeeper k = keepers.remove(id);
        if (k != null) {
            synchronized (k) {
                LOG.finest(() -> "stopped keeping the rotated logs of " + id);
            }
        }
    }

    private void checkIfKept(String id, RotatedLogKeeper k) {
        synchronized (k) {
            if (keepers.get(id) == k) {
                check(id, k);
            }
        }
    }

    private static void check(String id, RotatedLogKeeper k) {
        try {
            k.check();
        } catch (IOException | RuntimeException ex) {
            LOG.log(Level.FINE, "keeping rotated logs of " + id + " failed", ex);
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
        }
    }
}
