package dev.berth.engine.build;

import java.util.concurrent.CompletableFuture;

/**
 * Watches the client while a RUN step's container runs: when it disconnects (docker build
 * interrupted), the container is killed, so the step ends, is removed, and commits nothing.
 */
final class StepCanceller {
    interface Kill {
        void kill() throws Exception;
    }

    private static final long POLL_MILLIS = 250;
    private volatile boolean cancelled;
    private volatile boolean stopped;
    private Thread watcher;

    static StepCanceller watch(BuildOutput out, CompletableFuture<?> exit, Kill kill) {
        StepCanceller c = new StepCanceller();
        c.watcher = Thread.ofVirtual().name("build-step-watch").start(() -> {
            while (!c.stopped && !exit.isDone()) {
                try {
                    Thread.sleep(POLL_MILLIS);
                } catch (InterruptedException e) {
                    return;
                }
                if (!c.stopped && !exit.isDone() && out.clientGone()) {
                    c.cancelled = true;
                    try {
                        kill.kill();
                    } catch (Exception e) {
                        // it may have exited meanwhile; the step still fails as cancelled
                    }
                    return;
                }
            }
        });
        return c;
    }

    void stop() {
        stopped = true;
        watcher.interrupt();
    }

    boolean cancelled() {
        return cancelled;
    }
}
