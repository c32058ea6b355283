package dev.berth.desktop.detail.logs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Turns the bytes of demultiplexed log frames into lines. A frame may hold several lines or half of
 * one, so each stream keeps its own unfinished tail; a TTY container's log is one raw stream (stdout).
 * Not thread-safe: one reader thread feeds it.
 */
public final class LogDecoder {
    /** A line longer than this is cut: one runaway writer must not grow the buffer without bound. */
    static final int MAX_LINE_BYTES = 16 * 1024;

    private final boolean timestamps;
    private final Consumer<LogLine> sink;
    private final ByteArrayOutputStream[] partial = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    private long seq;

    public LogDecoder(boolean timestamps, Consumer<LogLine> sink) {
        this.timestamps = timestamps;
        this.sink = sink;
    }

    public void feed(LogStream stream, byte[] data, int off, int len) {
        ByteArrayOutputStream buf = partial[stream.ordinal()];
        int start = off;
        int end = off + len;
        for (int i = off; i < end; i++) {
            if (data[i] == '\n') {
                buf.write(data, start, i - start);
                emit(stream, buf);
                start = i + 1;
            } else if (buf.size() + (i - start) >= MAX_LINE_BYTES) {
                buf.write(data, start, i - start);
                emit(stream, buf);
                start = i;
            }
        }
        buf.write(data, start, end - start);
    }

    /** At end of stream: whatever was not ended by a newline is still a line. */
    public void finish() {
        for (LogStream s : LogStream.values()) {
            if (partial[s.ordinal()].size() > 0) {
                emit(s, partial[s.ordinal()]);
            }
        }
    }

    private void emit(LogStream stream, ByteArrayOutputStream buf) {
        String line = buf.toString(StandardCharsets.UTF_8);
        buf.reset();
        if (line.endsWith("\r")) {
            line = line.substring(0, line.length() - 1);
        }
        String ts = null;
        if (timestamps) {
            int sp = line.indexOf(' ');
            if (sp > 0 && looksLikeTimestamp(line, sp)) {
                ts = line.substring(0, sp);
                line = line.substring(sp + 1);
            }
        }
        sink.accept(new LogLine(seq++, stream, ts, line));
    }

    private static boolean looksLikeTimestamp(String line, int sp) {
        // moby stamps RFC3339Nano: 2024-01-02T03:04:05.123456789Z
        return sp >= 20 && line.charAt(4) == '-' && line.charAt(10) == 'T';
    }
}
