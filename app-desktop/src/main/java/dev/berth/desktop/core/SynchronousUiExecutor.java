package dev.berth.desktop.core;

import java.util.concurrent.Callable;
import java.util.function.Consumer;

/** Runs everything on the caller's thread: view-model tests see effects without waiting. */
final class SynchronousUiExecutor implements UiExecutor {
    @Override
    public void onUi(Runnable r) {
        r.run();
    }

    @Override
    public <T> void background(Callable<T> work, Consumer<T> done, Consumer<Throwable> failed) {
        T result;
        try {
            result = work.call();
        } catch (Throwable t) {
            failed.accept(t);
            return;
        }
        done.accept(result);
    }
}
