package dev.berth.engine.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;

/**
 * One line as Docker serves it: the P records joined with their F record, stamped with the first
 * record's time (when the line began, as Docker's json-file keeps it). The content ends with a newline
 * unless the container stopped in the middle of a line.
 */
public record LogLine(Instant timestamp, StdStream stream, byte[] content) {

    public String text() {
        return new String(content, StandardCharsets.UTF_8);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogLine l && l.timestamp.equals(timestamp) && l.stream == stream
                && Arrays.equals(l.content, content);
    }

    @Override
    public int hashCode() {
        return timestamp.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return timestamp + " " + stream + " " + text();
    }
}
