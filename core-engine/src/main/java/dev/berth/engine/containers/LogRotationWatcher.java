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
                check(e.getKey(), e.getValue());
                if (!running.test(e.getKey())) {
                    check(e.getKey(), e.getValue());
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
