package dev.berth.engine.containers;

/**
 * What Docker's container State has beyond created/running/exited, kept beside the container's row.
 *
 * @param paused          frozen by {@code runc pause}; the container row still says running
 * @param restarting      exited, and its restart policy will start it again after a backoff
 * @param manuallyStopped Docker's HasBeenManuallyStopped: a user's stop or kill, which
 *                        {@code unless-stopped} honours even across daemon restarts
 * @param error           why the last start failed, Docker's State.Error
 */
public record LifecycleState(boolean paused, boolean restarting, int restartCount, boolean oomKilled,
                             boolean manuallyStopped, String error) {
    public static final LifecycleState INITIAL = new LifecycleState(false, false, 0, false, false, "");

    public LifecycleState withPaused(boolean p) {
        return new LifecycleState(p, restarting, restartCount, oomKilled, manuallyStopped, error);
    }

    public LifecycleState withRestarting(boolean r) {
        return new LifecycleState(paused, r, restartCount, oomKilled, manuallyStopped, error);
    }

    public LifecycleState withManuallyStopped(boolean m) {
        return new LifecycleState(paused, restarting, restartCount, oomKilled, m, error);
    }

    public LifecycleState withError(String e) {
        return new LifecycleState(paused, restarting, restartCount, oomKilled, manuallyStopped, e);
    }

    /** A user's start: Docker resets the restart count and the manual stop (ResetRestartManager). */
    public LifecycleState userStarted() {
        return new LifecycleState(false, false, 0, false, false, error);
    }

    /** Running now: no error, no OOM of a previous run, not paused. */
    public LifecycleState running() {
        return new LifecycleState(false, false, restartCount, false, manuallyStopped, "");
    }

    public LifecycleState exited(boolean oom, boolean willRestart) {
        return new LifecycleState(false, willRestart, willRestart ? restartCount + 1 : restartCount, oom, manuallyStopped, error);
    }
}
