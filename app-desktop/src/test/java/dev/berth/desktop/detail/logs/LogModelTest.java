package dev.berth.desktop.detail.logs;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogModelTest {
    private static LogLine line(long seq, String text) {
        return new LogLine(seq, LogStream.STDOUT, null, text);
    }

    @Test
    void decoderJoinsSplitFramesPerStreamAndSplitsTimestamps() {
        List<LogLine> out = new ArrayList<>();
        LogDecoder d = new LogDecoder(true, out::add);
        byte[] a = "2024-01-02T03:04:05.123456789Z hel".getBytes(StandardCharsets.UTF_8);
        byte[] err = "2024-01-02T03:04:06.000000000Z oops\n".getBytes(StandardCharsets.UTF_8);
        byte[] b = "lo\r\n2024-01-02T03:04:07.000000000Z tail".getBytes(StandardCharsets.UTF_8);
        d.feed(LogStream.STDOUT, a, 0, a.length);
        d.feed(LogStream.STDERR, err, 0, err.length);
        d.feed(LogStream.STDOUT, b, 0, b.length);
        d.finish();
        assertEquals(3, out.size());
        assertEquals(LogStream.STDERR, out.get(0).stream());
        assertEquals("oops", out.get(0).text());
        assertEquals("hello", out.get(1).text());
        assertEquals("2024-01-02T03:04:05.123456789Z", out.get(1).timestamp());
        assertEquals("2024-01-02T03:04:05.123456789Z hello", out.get(1).display(true));
        assertEquals("hello", out.get(1).display(false));
        assertEquals("tail", out.get(2).text());
    }

    @Test
    void decoderWithoutTimestampsKeepsTheLineAndCutsRunawayLines() {
        List<LogLine> out = new ArrayList<>();
        LogDecoder d = new LogDecoder(false, out::add);
        byte[] big = new byte[LogDecoder.MAX_LINE_BYTES * 2 + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        d.feed(LogStream.STDOUT, big, 0, big.length);
        d.finish();
        assertEquals(3, out.size());
        assertNull(out.get(0).timestamp());
        assertEquals(LogDecoder.MAX_LINE_BYTES, out.get(0).text().length());
    }

    @Test
    void ringBufferKeepsTheNewestLines() {
        LogRingBuffer r = new LogRingBuffer(3);
        List<LogLine> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(line(i, "l" + i));
        }
        assertEquals(2, r.addAll(batch));
        assertEquals(3, r.size());
        assertEquals(2, r.dropped());
        assertEquals(List.of("l2", "l3", "l4"), r.snapshot().stream().map(LogLine::text).toList());
        r.clear();
        assertEquals(0, r.size());
    }

    @Test
    void batcherBoundsItsBacklog() {
        LogBatcher b = new LogBatcher(100);
        for (int i = 0; i < 250; i++) {
            b.add(line(i, "l" + i));
        }
        assertEquals(100, b.pending());
        assertEquals(150, b.dropped());
        List<LogLine> drained = b.drain();
        assertEquals("l150", drained.getFirst().text());
        assertEquals(0, b.pending());
    }

    @Test
    void searchFindsEveryOccurrence() {
        assertEquals(List.of(new LogSearch.Range(0, 3), new LogSearch.Range(8, 11)),
                LogSearch.ranges("ERR and err", "err", false));
        assertEquals(List.of(new LogSearch.Range(8, 11)), LogSearch.ranges("ERR and err", "err", true));
        assertTrue(LogSearch.ranges("abc", "", false).isEmpty());
        assertEquals(List.of(1), LogSearch.matchingLines(List.of("a", "needle", "b"), "NEED", false));
    }

    @Test
    void ringListAppendsABatchAsOneChangeAndEvictsOnlyTheHead() {
        RingObservableList list = new RingObservableList(5);
        List<String> seen = new ArrayList<>();
        list.addListener((javafx.collections.ListChangeListener<LogLine>) c -> {
            while (c.next()) {
                seen.add((c.wasRemoved() ? "-" + c.getRemovedSize() + "@" + c.getFrom() : "")
                        + (c.wasAdded() ? "+" + c.getAddedSize() + "@" + c.getFrom() : ""));
            }
        });
        List<LogLine> first = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            first.add(line(i, "l" + i));
        }
        assertEquals(0, list.append(first));
        assertEquals(2, list.append(List.of(line(4, "l4"), line(5, "l5"), line(6, "l6"))));
        assertEquals(List.of("l2", "l3", "l4", "l5", "l6"), list.stream().map(LogLine::text).toList());
        // a batch larger than the ring keeps only its newest lines
        List<LogLine> big = new ArrayList<>();
        for (int i = 7; i < 20; i++) {
            big.add(line(i, "l" + i));
        }
        assertEquals(13, list.append(big));
        assertEquals("l15", list.getFirst().text());
        list.clear();
        assertTrue(list.isEmpty());
        assertEquals(List.of("+4@0", "-2@0", "+3@2", "-5@0+5@0", "-5@0"), seen);
    }

    @Test
    void viewModelCountsDroppedLinesAndSavesWhatItShows(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        LogsViewModel vm = new LogsViewModel(3);
        for (int i = 0; i < 5; i++) {
            vm.batcher().add(new LogLine(i, i == 4 ? LogStream.STDERR : LogStream.STDOUT, "2024-01-01T00:00:0" + i + "Z",
                    "l" + i));
            if (i == 1) {
                assertEquals(2, vm.pulse());
            }
        }
        assertEquals(3, vm.pulse());
        assertEquals(2, vm.droppedProperty().get());
        vm.timestampsProperty().set(true);
        vm.searchProperty().set("L3");
        assertEquals(List.of(1), vm.matches());
        assertEquals("2024-01-01T00:00:03Z l3", vm.text(List.of(vm.lines().get(1))));
        java.nio.file.Path f = dir.resolve("out.log");
        vm.save(f);
        assertEquals(List.of("2024-01-01T00:00:02Z l2", "2024-01-01T00:00:03Z l3", "2024-01-01T00:00:04Z l4"),
                java.nio.file.Files.readAllLines(f));
        vm.clear();
        assertTrue(vm.lines().isEmpty());
    }
}
