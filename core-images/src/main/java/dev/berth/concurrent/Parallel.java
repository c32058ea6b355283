package dev.berth.concurrent;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;

/**
 * Runs a task per item on virtual threads, at most {@code parallelism} at once (blob downloads and
 * uploads). The first failure cancels the rest and is rethrown as it was thrown.
 */
public final class Parallel {
    @FunctionalInterface
    public interface Task<T> {
        void run(T item) throws IOException;
    }

    private Parallel() {
    }

    public static <T> void forEach(List<T> items, int parallelism, Task<T> task) throws IOException {
        Semaphore permits = new Semaphore(parallelism);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (T item : items) {
                futures.add(pool.submit(() -> {
                    permits.acquire();
                    try {
                        task.run(item);
                    } finally {
                        permits.release();
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    futures.forEach(x -> x.cancel(true));
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) {
                        throw io;
                    }
                    if (c instanceof RuntimeException re) {
                        throw re;
                    }
                    if (c instanceof Error err) {
                        throw err;
                    }
                    throw new UncheckedIOException(new IOException(c));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    futures.forEach(x -> x.cancel(true));
                    throw new BerthException(ErrorCategory.UNAVAILABLE, "interrupted", e);
                }
            }
        }
    }
}
