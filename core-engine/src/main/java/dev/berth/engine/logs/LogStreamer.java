package dev.berth.engine.logs;

import java.io.Closeable;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;

/**
 * Serves one container's log as the body of {@code GET /containers/{id}/logs}: multiplexed without a
 * TTY, raw with one, each line prefixed with its time when asked. When following, each line is flushed
 * as it is written, because the client is waiting for it; otherwise the stream is flushed at the end.
 */
public final class LogStreamer implements Closeable {

    /**
     * moby's rfc3339NanoFixed in UTC: always nine fraction digits so that timestamps line up and sort as
     * text, which Go's RFC3339Nano (trailing zeros dropped) would not.
     */
    public static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'").withZone(ZoneOffset.UTC);

    private final Path logFile;
    private final boolean tty;
    private final BooleanSupplier exited;
    private final Duration poll;
    private final Set<K8sLogReader> active = ConcurrentHashMap.newKeySet();

    public LogStreamer(Path logFile, boolean tty, BooleanSupplier exited) {
        this(logFile, tty, exited, K8sLogReader.DEFAULT_POLL_INTERVAL);
    }

    public LogStreamer(Path logFile, boolean tty, BooleanSupplier exited, Duration poll) {
        this.logFile = Objects.requireNonNull(logFile);
        this.tty = tty;
        this.exited = Objects.requireNonNull(exited);
        this.poll = Objects.requireNonNull(poll);
    }

    public static String formatTimestamp(Instant t) {
        return TIMESTAMP.format(t);
    }

    /** Writes the lines {@code options} selects; returns when they are written or a follow ends. */
    public void stream(LogOptions options, OutputStream out) throws IOException {
        LogFrameWriter w = tty ? new RawWriter(out) : new MultiplexedWriter(out);
        K8sLogReader reader = new K8sLogReader(logFile, options, exited, poll);
        active.add(reader);
        try {
            reader.read(line -> {
                byte[] payload = line.content();
                if (options.timestamps()) {
                    byte[] ts = (formatTimestamp(line.timestamp()) + " ").getBytes(StandardCharsets.US_ASCII);
                    byte[] b = new byte[ts.length + payload.length];
                    System.arraycopy(ts, 0, b, 0, ts.length);
                    System.arraycopy(payload, 0, b, ts.length, payload.length);
                    payload = b;
                }
                w.write(line.stream(), payload);
                if (options.follow()) {
                    w.flush();
                }
            });
            w.flush();
        } finally {
            active.remove(reader);
            reader.close();
        }
    }

    /** Ends every follow in progress, for a container being removed or a daemon shutting down. */
    @Override
    public void close() {
        for (K8sLogReader r : active) {
            r.close();
        }
    }
}
