package dev.berth.engine.containers;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Restart policies with Docker's backoff (moby {@code restartmanager}): the first restart waits
 * 100 ms, each further one twice as long, at most a minute; a run of 10 s or more resets the delay.
 * A user's stop or kill cancels restarting until the user starts the container again (Docker's
 * {@code ExitOnNext}). What must survive the daemon (restart count, the manual-stop flag) lives in the
 * catalog; the backoff and the cancellation are per daemon process, as in Docker.
 */
public final class RestartManager implements AutoCloseable {
    static final Duration INITIAL_DELAY = Duration.ofMillis(100);
    static final Duration MAX_DELAY = Duration.ofMinutes(1);
    static final Duration RESET_AFTER = Duration.ofSeconds(10);

    /** Runs a task later; a fake in unit tests. */
    public interface Scheduler {
        Cancellable schedule(Duration delay, Runnable task);
    }

    public interface Cancellable {
        /** @return true when the task had not run yet */
        boolean cancel();
    }

    private static final class Entry {
        Duration delay = Duration.ZERO;
        boolean cancelled;
        Cancellable pending;
    }

    private final Scheduler scheduler;
    private final ScheduledExecutorService executor;
    private final Map<String, Entry> entries = new ConcurrentHashMap<>();

    public RestartManager(Scheduler scheduler) {
        this.scheduler = scheduler;
        this.executor = null;
    }

    /** Delays on one scheduler thread; the restart itself runs on a virtual thread, so slow starts never queue. */
    public static RestartManager withRealTime() {
        ScheduledExecutorService ex = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("berth-restarts").factory());
        return new RestartManager(ex);
    }

    private RestartManager(ScheduledExecutorService ex) {
        this.executor = ex;
        this.scheduler = (delay, task) -> {
            ScheduledFuture<?> f = ex.schedule(() -> Thread.ofVirtual().name("berth-restart").start(task),
                    delay.toMillis(), TimeUnit.MILLISECONDS);
            return () -> f.cancel(false);
        };
    }

    private Entry entry(String id) {
        return entries.computeIfAbsent(id, k -> new Entry());
    }

    /**
     * After an exit: whether the policy restarts the container and, if so, after what delay. Advances
     * the backoff the way moby's ShouldRestart does (before deciding, and reset by a run of 10 s).
     */
    public synchronized Optional<Duration> onExit(String id, RestartPolicy policy, int exitCode, boolean manuallyStopped,
                                                  int restartCount, Duration ranFor) {
        if (policy.isNone()) {
            return Optional.empty();
        }
        Entry e = entry(id);
        if (e.cancelled) {
            return Optional.empty();
        }
        if (ranFor.compareTo(RESET_AFTER) >= 0) {
            e.delay = Duration.ZERO;
        }
        if (e.delay.isZero()) {
            e.delay = INITIAL_DELAY;
        } else if (e.delay.compareTo(MAX_DELAY) < 0) {
            e.delay = e.delay.multipliedBy(2);
        }
        if (e.delay.compareTo(MAX_DELAY) > 0) {
            e.delay = MAX_DELAY;
        }
        return policy.shouldRestart(exitCode, manuallyStopped, restartCount) ? Optional.of(e.delay) : Optional.empty();
    }

    /** Runs {@code start} after {@code delay}, unless cancelled first. */
    public synchronized void schedule(String id, Duration delay, Runnable start) {
        Entry e = entry(id);
        if (e.pending != null) {
            e.pending.cancel();
        }
        Cancellable[] self = new Cancellable[1];
        self[0] = scheduler.schedule(delay, () -> {
            synchronized (this) {
                if (e.pending != self[0] || e.cancelled) {
                    return;
                }
                e.pending = null;
            }
            start.run();
        });
        e.pending = self[0];
    }

    /**
     * A user's stop or kill: no restart until the next user start.
     *
     * @return true when a scheduled restart was called off
     */
    public synchronized boolean cancel(String id) {
        Entry e = entry(id);
        e.cancelled = true;
        return dropPending(e);
    }

    /** A user's start or restart: a fresh policy (moby's ResetRestartManager). */
    public synchronized void reset(String id) {
        Entry e = entries.remove(id);
        if (e != null) {
            dropPending(e);
        }
    }

    public synchronized boolean pending(String id) {
        Entry e = entries.get(id);
        return e != null && e.pending != null;
    }

    private static boolean dropPending(Entry e) {
        Cancellable p = e.pending;
        e.pending = null;
        return p != null && p.cancel();
    }

    @Override
    public synchronized void close() {
        entries.values().forEach(RestartManager::dropPending);
        entries.clear();
        if (executor != null) {
            executor.shutdownNow();
        }
    }
}
