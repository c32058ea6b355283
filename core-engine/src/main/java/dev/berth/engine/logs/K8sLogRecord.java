package dev.berth.engine.logs;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

/**
 * One record of a CRI "k8s-file" log as conmon 2.1.6 writes it (src/ctr_logging.c, write_k8s_log):
 * {@code <RFC3339Nano with local offset> <stdout|stderr> <P|F> <content>\n}. An F record's content is a
 * whole line and its newline is the record's newline; a P record is a piece of a line that conmon
 * read without a newline, and conmon adds the record's newline itself. So the content never holds
 * the newline, and a full line is the P contents followed by the F content.
 *
 * <p>Content stays bytes: conmon cuts P records wherever its read buffer ended, which can be inside a
 * multi-byte UTF-8 character, so decoding a record alone would corrupt the text.
 */
public record K8sLogRecord(Instant timestamp, StdStream stream, boolean partial, byte[] content) {

    public K8sLogRecord {
        if (stream != StdStream.STDOUT && stream != StdStream.STDERR) {
            throw new IllegalArgumentException("a log record is stdout or stderr, not " + stream);
        }
    }

    /**
     * Parses one record from {@code line[off, off+len)} without its newline. Returns null if the bytes
     * are not a record, so that a reader can skip damage rather than stop serving a container's logs.
     */
    public static K8sLogRecord parse(byte[] line, int off, int len) {
        int end = off + len;
        int sp1 = indexOf(line, off, end, (byte) ' ');
        if (sp1 < 0) {
            return null;
        }
        int sp2 = indexOf(line, sp1 + 1, end, (byte) ' ');
        // The tag is one letter and conmon always writes a space after it, even before empty content.
        if (sp2 < 0 || sp2 + 2 >= end || line[sp2 + 2] != ' ') {
            return null;
        }
        Instant ts;
        try {
            ts = OffsetDateTime.parse(new String(line, off, sp1 - off, StandardCharsets.US_ASCII),
                    DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
        } catch (DateTimeParseException e) {
            return null;
        }
        StdStream stream;
        String name = new String(line, sp1 + 1, sp2 - sp1 - 1, StandardCharsets.US_ASCII);
        switch (name) {
            case "stdout" -> stream = StdStream.STDOUT;
            case "stderr" -> stream = StdStream.STDERR;
            default -> {
                return null;
            }
        }
        boolean partial;
        switch (line[sp2 + 1]) {
            case 'P' -> partial = true;
            case 'F' -> partial = false;
            default -> {
                return null;
            }
        }
        return new K8sLogRecord(ts, stream, partial, Arrays.copyOfRange(line, sp2 + 3, end));
    }

    public static K8sLogRecord parse(String line) {
        byte[] b = line.getBytes(StandardCharsets.UTF_8);
        return parse(b, 0, b.length);
    }

    private static int indexOf(byte[] b, int from, int to, byte v) {
        for (int i = from; i < to; i++) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof K8sLogRecord r && r.timestamp.equals(timestamp) && r.stream == stream
                && r.partial == partial && Arrays.equals(r.content, content);
    }

    @Override
    public int hashCode() {
        return timestamp.hashCode() * 31 + Arrays.hashCode(content);
    }

    @Override
    public String toString() {
        return timestamp + " " + stream + " " + (partial ? "P " : "F ")
                + new String(content, StandardCharsets.UTF_8);
    }
}
