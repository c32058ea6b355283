package dev.berth.engine.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;

import static dev.berth.engine.logs.ConmonLog.append;
import static dev.berth.engine.logs.ConmonLog.record;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LogFramingTest {
    @TempDir
    Path dir;

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            b.writeBytes(p);
        }
        return b.toByteArray();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void framesCarryTheStreamAndABigEndianLength() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        MultiplexedWriter w = new MultiplexedWriter(out);
        w.write(StdStream.STDOUT, ascii("hi\n"));
        w.write(StdStream.STDERR, new byte[0]);
        w.write(StdStream.STDERR, ascii("oops\n"));
        assertArrayEquals(concat(
                new byte[] {1, 0, 0, 0, 0, 0, 0, 3}, ascii("hi\n"),
                new byte[] {2, 0, 0, 0, 0, 0, 0, 5}, ascii("oops\n")), out.toByteArray());
    }

    @Test
    void aLargePayloadIsSplitAt32KiB() throws IOException {
        byte[] big = new byte[70_000];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new MultiplexedWriter(out).write(StdStream.STDERR, big);
        byte[] b = out.toByteArray();
        assertEquals(70_000 + 3 * 8, b.length);
        // 32768 = 0x00008000, 70000 - 65536 = 4464 = 0x00001170
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, (byte) 0x80, 0}, Arrays.copyOfRange(b, 0, 8));
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, (byte) 0x80, 0}, Arrays.copyOfRange(b, 8 + 32768, 16 + 32768));
        assertArrayEquals(new byte[] {2, 0, 0, 0, 0, 0, 0x11, 0x70}, Arrays.copyOfRange(b, 16 + 65536, 24 + 65536));
        assertArrayEquals(Arrays.copyOfRange(big, 32768, 65536), Arrays.copyOfRange(b, 16 + 32768, 16 + 65536));
    }

    @Test
    void demultiplexingGivesBackEachStream() throws IOException {
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        MultiplexedWriter w = new MultiplexedWriter(wire);
        byte[] big = new byte[100_000];
        Arrays.fill(big, (byte) 'x');
        w.write(StdStream.STDOUT, ascii("out 1\n"));
        w.write(StdStream.STDERR, ascii("err ünïcode\n"));
        w.write(StdStream.STDOUT, big);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        long n = new DemultiplexingReader(new ByteArrayInputStream(wire.toByteArray())).copyTo(out, err);
        assertArrayEquals(concat(ascii("out 1\n"), big), out.toByteArray());
        assertEquals("err ünïcode\n", err.toString(StandardCharsets.UTF_8));
        assertEquals(6 + 14 + 100_000, n); // "err ünïcode\n" is 14 bytes in UTF-8
    }

    @Test
    void demultiplexingRejectsWhatStdCopyRejects() {
        byte[] sysErr = concat(new byte[] {3, 0, 0, 0, 0, 0, 0, 4}, ascii("boom"));
        IOException e = assertThrows(IOException.class, () -> new DemultiplexingReader(
                new ByteArrayInputStream(sysErr)).copyTo(OutputStreamNull.INSTANCE, OutputStreamNull.INSTANCE));
        assertEquals("error from daemon in stream: boom", e.getMessage());
        IOException bad = assertThrows(IOException.class, () -> new DemultiplexingReader(
                new ByteArrayInputStream(new byte[] {7, 0, 0, 0, 0, 0, 0, 0})).next());
        assertEquals("unrecognized stream: 7", bad.getMessage());
        assertThrows(EOFException.class, () -> new DemultiplexingReader(
                new ByteArrayInputStream(new byte[] {1, 0, 0, 0, 0, 0, 0, 9, 'a'})).next());
        assertThrows(EOFException.class, () -> new DemultiplexingReader(
                new ByteArrayInputStream(new byte[] {1, 0, 0})).next());
    }

    @Test
    void streamerMultiplexesWithTimestampsInUtcWithNineDigits() throws IOException {
        Path log = dir.resolve("ctr.log");
        Instant t = Instant.parse("2024-03-25T12:20:42.100Z");
        append(log, record(t, "stdout", 'F', "hi"), record(t.plusNanos(5), "stderr", 'F', "err"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogStreamer(log, false, () -> true).stream(LogOptions.all().withTimestamps(true), out);
        String ts1 = "2024-03-25T12:20:42.100000000Z ";
        String ts2 = "2024-03-25T12:20:42.100000005Z ";
        assertArrayEquals(concat(
                new byte[] {1, 0, 0, 0, 0, 0, 0, 34}, ascii(ts1 + "hi\n"),
                new byte[] {2, 0, 0, 0, 0, 0, 0, 35}, ascii(ts2 + "err\n")), out.toByteArray());
        assertEquals(31, ts1.length());
    }

    @Test
    void streamerWritesRawBytesForATty() throws IOException {
        Path log = dir.resolve("ctr.log");
        Instant t = Instant.parse("2024-03-25T12:20:42Z");
        append(log, record(t, "stdout", 'P', "$ "), record(t, "stdout", 'F', "ls"),
                record(t, "stdout", 'F', "bin"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogStreamer(log, true, () -> true).stream(LogOptions.all(), out);
        assertEquals("$ ls\nbin\n", out.toString(StandardCharsets.UTF_8));
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        new LogStreamer(log, true, () -> true).stream(LogOptions.all().withTail(1), tail);
        assertEquals("bin\n", tail.toString(StandardCharsets.UTF_8));
    }

    @Test
    void streamerServesNothingForAnEmptyLog() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LogStreamer(dir.resolve("ctr.log"), false, () -> true).stream(LogOptions.all(), out);
        assertEquals(0, out.size());
        assertNull(new DemultiplexingReader(new ByteArrayInputStream(out.toByteArray())).next());
    }

    private static final class OutputStreamNull extends java.io.OutputStream {
        static final OutputStreamNull INSTANCE = new OutputStreamNull();

        @Override
        public void write(int b) {
        }
    }
}
