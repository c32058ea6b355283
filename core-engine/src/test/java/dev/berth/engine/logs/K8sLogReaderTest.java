package dev.berth.engine.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.berth.engine.logs.ConmonLog.append;
import static dev.berth.engine.logs.ConmonLog.appendLines;
import static dev.berth.engine.logs.ConmonLog.record;
import static dev.berth.engine.logs.ConmonLog.t;
import static org.junit.jupiter.api.Assertions.assertEquals;

class K8sLogReaderTest {
    @TempDir
    Path dir;

    private Path log() {
        return dir.resolve("ctr.log");
    }

    private List<LogLine> read(LogOptions o) throws IOException {
        List<LogLine> out = new ArrayList<>();
        try (K8sLogReader r = new K8sLogReader(log(), o, () -> true)) {
            r.read(out::add);
        }
        return out;
    }

    private static List<String> texts(List<LogLine> lines) {
        return lines.stream().map(LogLine::text).toList();
    }

    @Test
    void partialRecordsJoinIntoOneLineStampedWithTheFirst() throws IOException {
        append(log(),
                record(t(1), "stdout", 'P', "hel"),
                record(t(2), "stdout", 'P', "lo wo"),
                record(t(3), "stdout", 'F', "rld"));
        List<LogLine> lines = read(LogOptions.all());
        assertEquals(List.of(new LogLine(t(1), StdStream.STDOUT, "hello world\n".getBytes(StandardCharsets.UTF_8))),
                lines);
    }

    @Test
    void streamsInterleaveButEachJoinsItsOwnPieces() throws IOException {
        append(log(),
                record(t(1), "stdout", 'P', "a"),
                record(t(2), "stderr", 'F', "err"),
                record(t(3), "stdout", 'F', "b"));
        List<LogLine> lines = read(LogOptions.all());
        assertEquals(List.of("err\n", "ab\n"), texts(lines));
        assertEquals(List.of(StdStream.STDERR, StdStream.STDOUT), lines.stream().map(LogLine::stream).toList());
        assertEquals(t(1), lines.get(1).timestamp());
    }

    @Test
    void aCharacterCutBetweenRecordsComesOutWhole() throws IOException {
        byte[] text = "naïve 日本 🚢".getBytes(StandardCharsets.UTF_8);
        // Cut inside "ï" (2 bytes), inside "日" (3 bytes) and inside the ship (4 bytes).
        int[] cuts = {3, 8, 14, text.length};
        int from = 0;
        for (int i = 0; i < cuts.length; i++) {
            byte[] piece = java.util.Arrays.copyOfRange(text, from, cuts[i]);
            append(log(), record(t(i), "stdout", i == cuts.length - 1 ? 'F' : 'P', piece));
            from = cuts[i];
        }
        assertEquals(List.of("naïve 日本 🚢\n"), texts(read(LogOptions.all())));
    }

    @Test
    void aTornLastRecordIsNotALineYet() throws IOException {
        append(log(), record(t(1), "stdout", 'F', "done"));
        byte[] torn = record(t(2), "stdout", 'F', "half written");
        Files.write(log(), java.util.Arrays.copyOf(torn, torn.length - 5), java.nio.file.StandardOpenOption.APPEND);
        assertEquals(List.of("done\n"), texts(read(LogOptions.all())));
        assertEquals(List.of("done\n"), texts(read(LogOptions.all().withTail(1))));
    }

    @Test
    void aLineTheContainerNeverEndedIsServedWithoutANewline() throws IOException {
        append(log(), record(t(1), "stdout", 'F', "one"), record(t(2), "stdout", 'P', "prompt> "));
        assertEquals(List.of("one\n", "prompt> "), texts(read(LogOptions.all())));
        assertEquals(List.of("prompt> "), texts(read(LogOptions.all().withTail(1))));
    }

    @Test
    void tailKeepsTheLastLinesAndCountsAJoinedLineOnce() throws IOException {
        appendLines(log(), 1, 5);
        append(log(), record(t(6), "stdout", 'P', "six "), record(t(7), "stdout", 'P', "and "),
                record(t(8), "stdout", 'F', "more"));
        assertEquals(List.of("line 5\n", "six and more\n"), texts(read(LogOptions.all().withTail(2))));
        assertEquals(t(6), read(LogOptions.all().withTail(1)).getFirst().timestamp());
        assertEquals(List.of(), read(LogOptions.all().withTail(0)));
        assertEquals(6, read(LogOptions.all().withTail(100)).size());
    }

    @Test
    void tailReadsBackwardsAcrossBlocks() throws IOException {
        appendLines(log(), 1, 5000); // about 260 KB: several 64 KiB blocks
        List<LogLine> lines = read(LogOptions.all().withTail(3001));
        assertEquals(3001, lines.size());
        assertEquals("line 2000\n", lines.getFirst().text());
        assertEquals("line 5000\n", lines.getLast().text());
    }

    @Test
    void tailCrossesIntoRotatedFilesOldestFirst() throws IOException {
        Path r2 = dir.resolve("ctr.log.2");
        Path r1 = dir.resolve("ctr.log.1");
        appendLines(r2, 1, 2);
        appendLines(r1, 3, 4);
        // A line that conmon began before rotating and finished after.
        append(r1, record(t(5), "stdout", 'P', "split "));
        append(log(), record(t(6), "stdout", 'F', "across"));
        appendLines(log(), 7, 7);
        assertEquals(List.of(r2, r1, log()), K8sLogReader.files(log()));
        assertEquals(List.of("line 4\n", "split across\n", "line 7\n"), texts(read(LogOptions.all().withTail(3))));
        assertEquals(List.of("split across\n", "line 7\n"), texts(read(LogOptions.all().withTail(2))));
        assertEquals(6, read(LogOptions.all()).size());
        assertEquals("line 1\n", read(LogOptions.all().withTail(50)).getFirst().text());
    }

    @Test
    void tailCountsEveryStreamBeforeTheSelectionAsDockerDoes() throws IOException {
        append(log(), record(t(1), "stdout", 'F', "a"), record(t(2), "stderr", 'F', "b"),
                record(t(3), "stdout", 'F', "c"));
        assertEquals(List.of("c\n"), texts(read(LogOptions.all().withStreams(true, false).withTail(2))));
        assertEquals(List.of("b\n"), texts(read(LogOptions.all().withStreams(false, true))));
    }

    @Test
    void sinceAndUntilAreInclusive() throws IOException {
        appendLines(log(), 1, 5);
        assertEquals(List.of("line 2\n", "line 3\n", "line 4\n"),
                texts(read(LogOptions.all().withWindow(t(2), t(4)))));
        assertEquals(List.of("line 5\n"), texts(read(LogOptions.all().withWindow(t(5), null))));
        // tail is taken first, then the window, as Docker's json-file does.
        assertEquals(List.of("line 4\n"), texts(read(LogOptions.all().withTail(2).withWindow(null, t(4)))));
    }

    @Test
    @org.junit.jupiter.api.Timeout(10)
    void aFollowEndsAtUntilEvenWhileTheContainerRuns() throws IOException {
        appendLines(log(), 1, 3);
        List<LogLine> out = new ArrayList<>();
        try (K8sLogReader r = new K8sLogReader(log(), LogOptions.all().withFollow(true).withWindow(null, t(2)),
                () -> false)) {
            r.read(out::add);
        }
        assertEquals(List.of("line 1\n", "line 2\n"), texts(out));
    }

    @Test
    void aMissingLogIsEmpty() throws IOException {
        assertEquals(List.of(), read(LogOptions.all()));
        assertEquals(List.of(), read(LogOptions.all().withTail(3)));
    }
}
