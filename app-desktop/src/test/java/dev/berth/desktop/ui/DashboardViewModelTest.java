package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.model.DiskUsage;
import dev.berth.engine.client.model.EventMessage;
import dev.berth.engine.client.model.SystemInfo;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The dashboard's view model with the synchronous executor and a hand-driven loader standing for {@code /info} + {@code /system/df}. */
class DashboardViewModelTest {
    /** Loads are held until the test answers them, as a slow {@code df} would be. */
    static final class HeldLoader implements DashboardViewModel.Loader {
        final List<Consumer<DashboardViewModel.Snapshot>> pending = new ArrayList<>();
        final List<Consumer<Throwable>> failures = new ArrayList<>();
        int asked;

        @Override
        public void load(Consumer<DashboardViewModel.Snapshot> done, Consumer<Throwable> failed, Runnable stale) {
            asked++;
            pending.add(done);
            failures.add(failed);
        }

        void answer(DashboardViewModel.Snapshot s) {
            failures.removeFirst();
            pending.removeFirst().accept(s);
        }
    }

    static AppServices services(DesktopCatalog catalog) {
        // a connection to nowhere, never started: only its address is shown
        return new AppServices(UiExecutor.synchronous(),
                new EngineConnection(EngineEndpoint.unix(Path.of("/nonexistent/dash.sock")), UiExecutor.synchronous(),
                        Duration.ofSeconds(1)), catalog);
    }

    static SystemInfo info() throws Exception {
        return Json.MAPPER.readValue("""
                {"ContainersRunning":3,"ContainersPaused":1,"ContainersStopped":2,"Images":7,"Driver":"overlay",
                 "DockerRootDir":"/var/lib/berth","ServerVersion":"0.9"}""", SystemInfo.class);
    }

    static DiskUsage df() throws Exception {
        return Json.MAPPER.readValue("""
                {"LayersSize":2000000,"Containers":[{"Id":"c","SizeRw":3000}],
                 "Volumes":[{"Name":"a","UsageData":{"Size":1000,"RefCount":1}},{"Name":"b","UsageData":{"Size":-1,"RefCount":0}}],
                 "BuildCache":[{"ID":"x","Size":500}]}""", DiskUsage.class);
    }

    static EventMessage event(String type, String action, String name) {
        return new EventMessage(type, action, new EventMessage.Actor("id-" + name, Map.of("name", name)), "local", 1_700_000_000L, 0);
    }

    @Test
    void reloadsCoalesceOneInFlightAndOneMoreAfter() throws Exception {
        HeldLoader loader = new HeldLoader();
        DashboardViewModel vm = new DashboardViewModel(services(null), loader);
        assertEquals(0, loader.asked, "not connected: nothing asked at start");
        vm.reload();
        vm.onEvent(event("container", "start", "a"));
        vm.onEvent(event("image", "pull", "b"));
        vm.onEvent(event("volume", "create", "c"));
        assertEquals(1, loader.asked, "one load in flight; the events wait for it");
        loader.answer(new DashboardViewModel.Snapshot(info(), df(), null));
        assertEquals(2, loader.asked, "one more after, not one per event");
        loader.answer(new DashboardViewModel.Snapshot(info(), df(), null));
        assertEquals(2, loader.asked, "nothing asked for meanwhile: no third load");
        vm.onEvent(event("network", "connect", "d"));
        assertEquals(2, loader.asked, "a network event changes no count");
    }

    @Test
    void hiddenEventsReloadNothingUntilTheViewShowsAgainAndThenOnce() throws Exception {
        HeldLoader loader = new HeldLoader();
        DashboardViewModel vm = new DashboardViewModel(services(null), loader);
        vm.setShown(false);
        for (int i = 0; i < 20; i++) {
            vm.onEvent(event("container", i % 2 == 0 ? "start" : "die", "c" + i));
        }
        assertEquals(0, loader.asked, "hidden: no /info, no /system/df");
        assertEquals(DashboardViewModel.RECENT, vm.recent().size(), "the activity list still follows");
        vm.setShown(true);
        assertEquals(1, loader.asked, "shown again: one reload for all of them");
        loader.answer(new DashboardViewModel.Snapshot(info(), df(), null));
        assertEquals("3", vm.runningProperty().get());
        vm.setShown(false);
        vm.setShown(true);
        assertEquals(1, loader.asked, "nothing happened while hidden: no reload");
    }

    @Test
    void countsDiskAndEngineComeFromTheSnapshotAndAFailedDfLeavesTheCounts() throws Exception {
        HeldLoader loader = new HeldLoader();
        DashboardViewModel vm = new DashboardViewModel(services(null), loader);
        vm.reload();
        loader.answer(new DashboardViewModel.Snapshot(info(), df(), null));
        assertEquals(List.of("3", "1", "2", "7", "2"), List.of(vm.runningProperty().get(), vm.pausedProperty().get(),
                vm.stoppedProperty().get(), vm.imagesProperty().get(), vm.volumesProperty().get()));
        assertEquals("Disk: images " + Sizes.human(2_000_000) + ", containers " + Sizes.human(3000) + ", volumes "
                + Sizes.human(1000) + ", build cache " + Sizes.human(500), vm.diskProperty().get(), "a volume of unknown size counts 0");
        assertEquals("Engine 0.9 at unix:///nonexistent/dash.sock, storage overlay at /var/lib/berth", vm.engineProperty().get());

        vm.reload();
        loader.answer(new DashboardViewModel.Snapshot(info(), null, "df timed out"));
        assertEquals("3", vm.runningProperty().get());
        assertEquals("?", vm.volumesProperty().get());
        assertEquals("Disk usage not available: df timed out", vm.diskProperty().get());

        vm.reload();
        loader.failures.getFirst().accept(new RuntimeException("connection refused"));
        assertEquals("Engine not reachable: connection refused", vm.engineProperty().get());
        vm.reload();
        assertEquals(4, loader.asked, "a failed load does not block the next");
    }

    @Test
    void recentActivityKeepsLiveEventsOnTopOfWhatTheCatalogRecordedAtMostEight(@TempDir Path dir) {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            catalog.addActivity(new DesktopCatalog.Activity(1_600_000_000_000L, "container", "die", "old-one", ""));
            DashboardViewModel vm = new DashboardViewModel(services(catalog), new HeldLoader());
            assertEquals(1, vm.recent().size());
            assertTrue(vm.recent().getFirst().endsWith("container die  old-one"), vm.recent().getFirst());
            vm.onEvent(event("network", "create", "net1"));
            assertTrue(vm.recent().getFirst().endsWith("network create  net1"), "live first: " + vm.recent());
            for (int i = 0; i < 10; i++) {
                vm.onEvent(event("network", "create", "n" + i));
            }
            assertEquals(DashboardViewModel.RECENT, vm.recent().size());
            assertTrue(vm.recent().getFirst().endsWith("n9"), vm.recent().getFirst());
        }
    }
}
