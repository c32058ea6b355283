package dev.berth.desktop.detail.logs;

import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.StdStreams;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

/**
 * Reads a container's log stream on its own platform thread (a blocking socket read would pin a
 * virtual one) into a {@link LogBatcher}; the UI drains the batcher once per pulse. TTY containers
 * send raw bytes, the others Docker's multiplexed frames.
 */
public final class LogFollower implements Closeable {
    private final InputStream in;
    private final Thread thread;
    private volatile boolean closed;

    private LogFollower(InputStream in, boolean tty, boolean timestamps, LogBatcher batcher,
                        Consumer<Throwable> onEnd) {
        this.in = in;
        LogDecoder decoder = new LogDecoder(timestamps, batcher::add);
        this.thread = Thread.ofPlatform().daemon().name("berth-logs").unstarted(() -> {
            Throwable failure = null;
            try {
                if (tty) {
                    byte[] buf = new byte[32 * 1024];
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        decoder.feed(LogStream.STDOUT, buf, 0, n);
                    }
                } else {
                    StdStreams.read(in, (stream, payload, length) ->
                            decoder.feed(stream == StdStreams.STDERR ? LogStream.STDERR : LogStream.STDOUT, payload, 0,
                                    length));
                }
                decoder.finish();
            } catch (IOException | UncheckedIOException e) {
                failure = closed ? null : e;
            } catch (RuntimeException e) {
                failure = closed ? null : e;
            } finally {
                onEnd.accept(failure);
            }
        });
    }

    /** Starts following; {@code onEnd} gets null when the stream ended or was closed, else the failure. */
    public static LogFollower start(ContainerClient client, String containerId, boolean tty, boolean follow,
                                    String tail, LogBatcher batcher, Consumer<Throwable> onEnd) {
        InputStream in = client.logs(containerId,
                new ContainerClient.LogsOptions(true, true, follow, true, null, null, tail, false));
        return start(in, tty, batcher, onEnd);
    }

    /** Follows an already open stream (always asked with timestamps: the view toggles them locally). */
    public static LogFollower start(InputStream in, boolean tty, LogBatcher batcher, Consumer<Throwable> onEnd) {
        LogFollower f = new LogFollower(in, tty, true, batcher, onEnd);
        f.thread.start();
        return f;
    }

    /**
     * Stops following without blocking the caller (the UI thread): closing a response that is still
     * streaming drains it and can race the reader inside okio, so it happens on a throwaway thread.
     */
    @Override
    public void close() {
        closed = true;
        Thread.ofVirtual().name("berth-logs-close").start(() -> {
            try {
                in.close();
            } catch (IOException | RuntimeException | AssertionError ignored) {
                // closing is how following stops; a stream that fails to close is gone anyway
            }
        });
    }

    public boolean isAlive() {
        return thread.isAlive();
    }

    public void join(long millis) throws InterruptedException {
        thread.join(millis);
    }
}
