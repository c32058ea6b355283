package dev.berth.engine.containers;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Cleanup that runs after an API answer instead of before it (a --rm container's runtime record,
 * rootfs and directory), each on its own virtual thread; {@link #close} waits for them, bounded, so
 * that a daemon stopping normally leaves nothing half-removed behind.
 */
final class PendingCleanups {
    private static final Logger LOG = Logger.getLogger(PendingCleanups.class.getName());

    interface Task {
        void run() throws IOException;
    }

    private final Set<Thread> running = ConcurrentHashMap.newKeySet();

    void run(Task task) {
        Thread t = Thread.ofVirtual().name("berth-cleanup").unstarted(() -> {
            try {
                task.run();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "cleanup failed", e);
            } finally {
                running.remove(Thread.currentThread());
            }
        });
        running.add(t);
        t.start();
    }

    /** Waits for the cleanups under way, at most {@code max} in all. */
    void close(Duration max) {
        long deadline = System.nanoTime() + max.toNanos();
        for (Thread t : Set.copyOf(running)) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            try {
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
