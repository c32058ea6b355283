package dev.berth.desktop.containers;

import dev.berth.engine.client.model.ContainerSummary;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import javafx.stage.Stage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.testfx.api.FxRobot;
import org.testfx.framework.junit5.ApplicationExtension;
import org.testfx.framework.junit5.Start;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** 5,000 containers in the table (a fake list): reports how long loading, filtering and sorting take. */
@ExtendWith(ApplicationExtension.class)
class DeskContainersTableFxTest {
    ContainersView view;

    @Start
    void show(Stage stage) {
        view = new ContainersView(DeskFakes.services());
        stage.setScene(new Scene(view, 1200, 760));
        stage.show();
    }

    @Test
    @SuppressWarnings("unchecked")
    void fiveThousandRows(FxRobot robot) {
        List<ContainerSummary> list = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            list.add(DeskContainersViewModelTest.summary(String.format("%064d", i), "desk-" + i, i % 3 == 0 ? "running" : "exited",
                    i, i % 10 == 0 ? Map.of(ContainerRow.COMPOSE_PROJECT, "p" + i % 7) : Map.of(), List.of()));
        }
        long[] ms = new long[6];
        // FX-thread CPU time beside wall time: on a loaded machine the wall time mostly measures the others
        var cpu = java.lang.management.ManagementFactory.getThreadMXBean();
        robot.interact(() -> {
            long t = System.nanoTime();
            long c = cpu.getCurrentThreadCpuTime();
            view.viewModel().setList(list);
            view.applyCss();
            view.layout();
            ms[0] = (System.nanoTime() - t) / 1_000_000;
            ms[3] = (cpu.getCurrentThreadCpuTime() - c) / 1_000_000;
            t = System.nanoTime();
            c = cpu.getCurrentThreadCpuTime();
            view.viewModel().filterProperty().set("desk-49");
            view.layout();
            ms[1] = (System.nanoTime() - t) / 1_000_000;
            ms[4] = (cpu.getCurrentThreadCpuTime() - c) / 1_000_000;
            view.viewModel().filterProperty().set("");
            TableView<ContainerRow> table = (TableView<ContainerRow>) view.lookup("#containers-table");
            t = System.nanoTime();
            c = cpu.getCurrentThreadCpuTime();
            table.getSortOrder().setAll(table.getColumns().get(1));
            view.layout();
            ms[2] = (System.nanoTime() - t) / 1_000_000;
            ms[5] = (cpu.getCurrentThreadCpuTime() - c) / 1_000_000;
        });
        TableView<ContainerRow> table = robot.lookup("#containers-table").queryAs(TableView.class);
        assertEquals(5000, table.getItems().stream().filter(r -> !ContainerGroups.isHeader(r)).count());
        assertEquals(7, table.getItems().stream().filter(ContainerGroups::isHeader).count(), "one header per project");
        // sorted by name, case aside: the ungrouped rows first, then each project under its header
        List<String> ungrouped = table.getItems().stream().filter(r -> r.project().isEmpty()).map(ContainerRow::name).toList();
        assertEquals(ungrouped.stream().sorted(String.CASE_INSENSITIVE_ORDER).toList(), ungrouped);
        robot.interact(() -> table.getColumns().get(1).setSortType(javafx.scene.control.TableColumn.SortType.DESCENDING));
        List<String> descending = table.getItems().stream().filter(r -> r.project().isEmpty()).map(ContainerRow::name).toList();
        assertEquals(ungrouped.reversed(), descending);
        assertTrue(ContainerGroups.isHeader(table.getItems().get(ungrouped.size())), "a project's header follows");
        System.out.printf("desk: 5000 rows: load+layout %d ms (%d ms CPU), filter %d ms (%d ms CPU), sort by name %d ms (%d ms CPU)%n",
                ms[0], ms[3], ms[1], ms[4], ms[2], ms[5]);
    }
}
