package dev.berth.desktop.detail;

import dev.berth.desktop.detail.logs.LogLine;
import dev.berth.desktop.detail.logs.LogStream;
import dev.berth.desktop.detail.logs.LogsViewModel;
import dev.berth.desktop.detail.processes.ProcessesViewModel;
import dev.berth.desktop.detail.stats.StatsSample;
import dev.berth.desktop.detail.stats.StatsViewModel;
import dev.berth.engine.client.model.ContainerTop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class DetailViewModelTest {
    @Test
    void logsPulseAppendsInOneBatchAndStaysBounded(@TempDir Path dir) throws Exception {
        LogsViewModel vm = new LogsViewModel(100);
        for (int i = 0; i < 60; i++) {
            vm.batcher().add(new LogLine(i, i % 2 == 0 ? LogStream.STDOUT : LogStream.STDERR, "2024-01-01T00:00:00Z",
                    "line " + i));
        }
        assertEquals(0, vm.lines().size(), "nothing shows before the pulse");
        assertEquals(60, vm.pulse());
        for (int i = 60; i < 130; i++) {
            vm.batcher().add(new LogLine(i, LogStream.STDOUT, null, "line " + i));
        }
        vm.pulse();
        assertEquals(100, vm.lines().size());
        assertEquals("line 30", vm.lines().getFirst().text());
        assertEquals(30, vm.droppedProperty().get());
        assertEquals(130, vm.receivedProperty().get());

        vm.searchProperty().set("LINE 12");
        assertEquals(List.of(90, 91, 92, 93, 94, 95, 96, 97, 98, 99), vm.matches()); // line 120..129

        vm.timestampsProperty().set(true);
        assertEquals("2024-01-01T00:00:00Z line 59\nline 60", vm.text(vm.lines().subList(29, 31)));
        Path f = dir.resolve("logs.txt");
        vm.save(f);
        assertEquals(100, Files.readAllLines(f).size());

        vm.clear();
        assertEquals(0, vm.lines().size());
    }

    @Test
    void statsKeepsAWindowAndPersistsEachSample() {
        List<StatsSample> saved = new ArrayList<>();
        List<StatsSample> history = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            history.add(new StatsSample(i, 1, 1, 1, 0, 0, 0, 0));
        }
        StatsViewModel vm = new StatsViewModel(3, history, saved::add);
        assertEquals(3, vm.samples().size());
        vm.add(new StatsSample(10, 50, 1, 1, 0, 0, 0, 0));
        assertEquals(3, vm.samples().size());
        assertEquals(10, vm.samples().getLast().epochMillis());
        assertEquals(1, saved.size());
        assertEquals(2048.0, StatsViewModel.rate(1000, 3048, 1000), 1e-9);
        assertEquals(0.0, StatsViewModel.rate(5000, 10, 1000), 1e-9);
    }

    @Test
    void processesFollowTop() {
        ProcessesViewModel vm = new ProcessesViewModel();
        vm.update(new ContainerTop(List.of("PID", "CMD"), List.of(List.of("1", "sleep 300"))));
        assertEquals(List.of("PID", "CMD"), vm.titles());
        assertEquals("sleep 300", vm.rows().getFirst().get(1));
    }
}
