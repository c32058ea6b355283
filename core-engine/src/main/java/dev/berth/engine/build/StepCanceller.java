package dev.berth.engine.build;

import java.util.concurrent.Future;

/**
 * Kills a RUN step's container when the build's client goes away. A step that prints nothing (a long
 * {@code sleep}) would otherwise run to its end, because a gone client is only noticed on a write.
 */
final class StepCanceller {
    private static final long POLL_MILLIS = 100;

    @FunctionalInterface
    interface Kill {
        void kill() throws Exception;
    }

    private StepCanceller() {
    }

    /** Polls {@code out.cancelled()} until {@code exit} completes; interrupt the returned thread to stop it. */
    static Thread watch(BuildOutput out, Future<?> exit, Kill kill) {
        return Thread.ofVirtual().name("build-step-canceller").start(() -> {
            try {
                while (!exit.isDone()) {
                    if (out.cancelled()) {
                        kill.kill();
                        return;
                    }
                    Thread.sleep(POLL_MILLIS);
                }
            } catch (InterruptedException e) {
                // the step ended first
            } catch (Exception e) {
                // the container already exited; the removal in the step's finally covers it
            }
        });
    }
}
