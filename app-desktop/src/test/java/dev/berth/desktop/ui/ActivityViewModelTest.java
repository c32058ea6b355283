package dev.berth.desktop.ui;

import dev.berth.desktop.store.DesktopCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static dev.berth.desktop.ui.DashboardViewModelTest.event;
import static dev.berth.desktop.ui.DashboardViewModelTest.services;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The activity view model with the synchronous executor and a real catalog: recorded, live, kept, filtered. */
class ActivityViewModelTest {
    @Test
    void liveEventsGoOnTopAreRecordedAndTheFilterKeepsLinesWithEveryWord(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            catalog.addActivity(new DesktopCatalog.Activity(1_600_000_000_000L, "container", "die", "act-old", ""));
            ActivityViewModel vm = new ActivityViewModel(services(catalog));
            assertEquals(1, vm.shown().size());
            vm.onEvent(event("container", "start", "act-web"));
            vm.onEvent(event("image", "pull", "act-img"));
            assertEquals(3, vm.shown().size());
            assertTrue(vm.shown().getFirst().endsWith("image pull  act-img"), "newest first: " + vm.shown());
            assertEquals(3, catalog.recentActivity(100).size(), "live events are recorded in the catalog");

            vm.filterProperty().set("  CONTAINER web ");
            assertEquals(1, vm.shown().size());
            assertTrue(vm.shown().getFirst().endsWith("container start  act-web"), vm.shown().toString());
            vm.filterProperty().set("container act");
            assertEquals(List.of("act-web", "act-old"), vm.shown().stream().map(l -> l.substring(l.lastIndexOf(' ') + 1)).toList());
            vm.filterProperty().set("");
            assertEquals(3, vm.shown().size());
        }
    }

    @Test
    void keepsTheNewestFiveHundred() {
        ActivityViewModel vm = new ActivityViewModel(services(null));
        for (int i = 0; i < ActivityViewModel.KEEP + 20; i++) {
            vm.onEvent(event("network", "create", "n" + i));
        }
        assertEquals(ActivityViewModel.KEEP, vm.shown().size());
        assertTrue(vm.shown().getFirst().endsWith("n519"));
        assertTrue(vm.shown().getLast().endsWith("n20"));
    }
}
