package dev.berth.engine.containers;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The per-container exit watcher threads, and an orderly end for them at daemon shutdown: once
 * closed, no watcher starts recording an exit (conmon's exit file stays, and the next daemon start
 * records it), the ones only waiting are interrupted, and {@link #close} returns after the ones
 * already recording have finished, so the engine can close the catalog under nobody.
 */
final class ExitWatchers {
    interface Recording {
        void run() throws IOException, InterruptedException;
    }

    private final Set<Thread> threads = ConcurrentHashMap.newKeySet();
    private final Set<Thread> recording = ConcurrentHashMap.newKeySet();
    private boolean closed;

    void start(String name, Runnable body) {
        Thread t = Thread.ofVirtual().name(name).unstarted(() -> {
            try {
                body.run();
            } finally {
                threads.remove(Thread.currentThread());
            }
        });
        threads.add(t);
        t.start();
    }

    synchronized boolean closed() {
        return closed;
    }

    /** Runs {@code r} unless the daemon is shutting down; false when it did not run. */
    boolean record(Recording r) throws IOException, InterruptedException {
        synchronized (this) {
            if (closed) {
                return false;
            }
            recording.add(Thread.currentThread());
        }
        try {
            r.run();
            return true;
        } finally {
            synchronized (this) {
                recording.remove(Thread.currentThread());
                notifyAll();
            }
        }
    }

    /** Stops the waiting watchers and waits (bounded) for the recording ones. */
    void close(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        synchronized (this) {
            closed = true;
            for (Thread t : threads) {
                if (!recording.contains(t)) {
                    t.interrupt();
                }
            }
            try {
                while (!recording.isEmpty()) {
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        return;
                    }
                    wait(left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        for (Thread t : threads) {
            try {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0 || !t.join(Duration.ofMillis(left))) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
