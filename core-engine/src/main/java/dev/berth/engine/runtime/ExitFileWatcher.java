package dev.berth.engine.runtime;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Wakes exit waiters when conmon writes into its exit directory (inotify, through the JDK's watch
 * service) instead of leaving them to a fixed poll: a container's exit is seen within a millisecond
 * rather than half a poll interval later, and an idle engine does not wake every few milliseconds per
 * container. Waiters still re-read the file on a slow fallback tick, so a lost event only delays.
 */
final class ExitFileWatcher {
    private static final Logger LOG = Logger.getLogger(ExitFileWatcher.class.getName());

    private final Path dir;
    private final Object changed = new Object();
    private long generation;
    private volatile boolean started;
    private volatile boolean failed;

    ExitFileWatcher(Path dir) {
        this.dir = dir;
    }

    /** The current change count: pass it to {@link #awaitChange} after re-reading the files. */
    long generation() {
        ensureStarted();
        synchronized (changed) {
            return generation;
        }
    }

    /** Waits until anything in the directory changed after {@code seen}, or {@code maxMillis} passed. */
    void awaitChange(long seen, long maxMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxMillis);
        synchronized (changed) {
            while (generation == seen) {
                long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                if (left <= 0) {
                    return;
                }
                changed.wait(failed ? Math.min(left, 20) : left);
                if (failed) {
                    return;
                }
            }
        }
    }

    private void ensureStarted() {
        if (started) {
            return;
        }
        synchronized (this) {
            if (started) {
                return;
            }
            started = true;
            try {
                WatchService ws = FileSystems.getDefault().newWatchService();
                dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY);
                Thread t = new Thread(() -> run(ws), "berth-exit-watch");
                t.setDaemon(true);
                t.start();
            } catch (IOException | RuntimeException e) {
                LOG.log(Level.WARNING, "watching " + dir + " failed; exits are polled", e);
                failed = true;
            }
        }
    }

    private void run(WatchService ws) {
        try {
            while (true) {
                WatchKey key = ws.take();
                var events = key.pollEvents();
                if (PhaseTimer.ENABLED) {
                    long now = System.currentTimeMillis();
                    for (var e : events) {
                        // The exit file itself, not glib's temporary it is renamed from.
                        String file = String.valueOf(e.context());
                        if (file.indexOf('.') < 0) {
                            PhaseTimer.at("exit.event", now, file);
                        }
                    }
                }
                synchronized (changed) {
                    generation++;
                    changed.notifyAll();
                }
                if (!key.reset()) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "watching " + dir + " failed; exits are polled", e);
        }
        failed = true;
        synchronized (changed) {
            generation++;
            changed.notifyAll();
        }
    }
}
