package dev.berth.desktop.core;

import javafx.application.Platform;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/** Background work on virtual threads; results on the JavaFX application thread. */
public final class FxUiExecutor implements UiExecutor, AutoCloseable {
    private final ExecutorService pool = Executors.newThreadPerTaskExecutor(
            Thread.ofVirtual().name("berth-desktop-bg-", 0).factory());

    /** One virtual thread at a time, in submission order: see {@link UiExecutor#inOrder}. */
    private final ExecutorService writes = Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("berth-desktop-writes-", 0).factory());

    @Override
    public void onUi(Runnable r) {
        if (Platform.isFxApplicationThread()) {
            r.run();
        } else {
            Platform.runLater(r);
        }
    }

    @Override
    public <T> void background(Callable<T> work, Consumer<T> done, Consumer<Throwable> failed) {
        if (pool.isShutdown()) {
            return; // closed: the app (or a test) is shutting down; work asked for now has no one to answer
        }
        try {
            submit(work, done, failed);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed meanwhile: as above
        }
    }

    private <T> void submit(Callable<T> work, Consumer<T> done, Consumer<Throwable> failed) {
        pool.execute(() -> {
            try {
                T result = work.call();
                Platform.runLater(() -> done.accept(result));
            } catch (Throwable t) {
                Platform.runLater(() -> failed.accept(t));
            }
        });
    }

    @Override
    public void inOrder(Runnable write) {
        try {
            writes.execute(() -> {
                try {
                    write.run();
                } catch (RuntimeException e) {
                    // as background(Runnable): a failed write loses only itself; later ones still run
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the app (or a test) is shutting down
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        writes.shutdown(); // writes already asked for still land
    }
}
