package dev.berth.engine.logs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** Writes k8s-file records byte for byte as conmon 2.1.6 does: local time with its offset, nine digits. */
final class ConmonLog {
    static final Instant T0 = Instant.parse("2024-03-25T12:20:42.000000001Z");
    private static final DateTimeFormatter CONMON =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSSxxx").withZone(ZoneOffset.ofHours(1));

    private ConmonLog() {
    }

    static Instant t(int seconds) {
        return T0.plusSeconds(seconds);
    }

    static byte[] record(Instant t, String stream, char tag, byte[] content) {
        byte[] head = (CONMON.format(t) + " " + stream + " " + tag + " ").getBytes(StandardCharsets.US_ASCII);
        byte[] out = new byte[head.length + content.length + 1];
        System.arraycopy(head, 0, out, 0, head.length);
        System.arraycopy(content, 0, out, head.length, content.length);
        out[out.length - 1] = '\n';
        return out;
    }

    static byte[] record(Instant t, String stream, char tag, String content) {
        return record(t, stream, tag, content.getBytes(StandardCharsets.UTF_8));
    }

    static void append(Path file, byte[]... records) throws IOException {
        for (byte[] r : records) {
            Files.write(file, r, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        }
    }

    static void appendLines(Path file, int from, int to) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = from; i <= to; i++) {
            sb.append(new String(record(t(i), "stdout", 'F', "line " + i), StandardCharsets.UTF_8));
        }
        Files.writeString(file, sb, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
