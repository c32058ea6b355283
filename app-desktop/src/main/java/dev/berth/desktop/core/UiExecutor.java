package dev.berth.desktop.core;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Where view-models run work: blocking engine calls off the UI thread, results back on it. Tests use
 * {@link #synchronous()} so a view-model's effects are visible as soon as its method returns.
 */
public interface UiExecutor {
    /** Runs on the UI thread (now if already on it). */
    void onUi(Runnable r);

    /** Runs {@code work} in the background; then {@code done} or {@code failed} on the UI thread. */
    <T> void background(Callable<T> work, Consumer<T> done, Consumer<Throwable> failed);

    default void background(Runnable work) {
        background(() -> { work.run(); return null; }, r -> { }, e -> { });
    }

    /**
     * Runs {@code write} in the background after every earlier {@code inOrder} write has run: a setting
     * typed key by key must land with its newest value last, which concurrent background tasks do not
     * promise. Executors that run background work concurrently override this.
     */
    default void inOrder(Runnable write) {
        background(write);
    }

    static UiExecutor synchronous() {
        return new SynchronousUiExecutor();
    }
}
