package dev.berth.desktop.tray;

import dev.berth.desktop.engine.EngineStatus;
import org.junit.jupiter.api.Test;

import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeskTrayMenuModelTest {
    final List<String> calls = new ArrayList<>();

    final TrayMenuModel.Actions actions = new TrayMenuModel.Actions() {
        @Override public void showHide() { calls.add("showHide"); }
        @Override public void quit() { calls.add("quit"); }
        @Override public void startEngine() { calls.add("startEngine"); }
        @Override public void stopEngine() { calls.add("stopEngine"); }
        @Override public void pullImage() { calls.add("pull"); }
        @Override public void startContainer(String id) { calls.add("start " + id); }
        @Override public void stopContainer(String id) { calls.add("stop " + id); }
        @Override public void restartContainer(String id) { calls.add("restart " + id); }
        @Override public void openLogs(String id, String name) { calls.add("logs " + id); }
        @Override public void openUrl(String url) { calls.add("open " + url); }
    };

    static List<String> labels(List<TrayMenuModel.Item> items) {
        return items.stream().map(TrayMenuModel.Item::label).toList();
    }

    static TrayMenuModel.Item find(List<TrayMenuModel.Item> items, String label) {
        return items.stream().filter(i -> i.label().equals(label)).findFirst().orElseThrow(() -> new AssertionError(label + " in " + labels(items)));
    }

    @Test
    void aStoppedEngineOffersStartShowAndQuitOnly() {
        TrayMenuModel m = new TrayMenuModel(actions);
        List<TrayMenuModel.Item> items = m.items(new TrayMenuModel.Snapshot(EngineStatus.STOPPED, "", true, false, true, List.of(), Set.of()));
        assertEquals(List.of("Engine: stopped", "Hide Berth", "Start engine", "Quit"), labels(items));
        assertFalse(items.get(0).enabled(), "the status line is information, not an action");
        items.get(1).action().run();
        items.get(2).action().run();
        items.get(3).action().run();
        assertEquals(List.of("showHide", "startEngine", "quit"), calls);
    }

    @Test
    void runningContainersHaveTheirActionsAndStoppedFavouritesCanBeStarted() {
        TrayMenuModel m = new TrayMenuModel(actions);
        List<TrayMenuModel.TrayContainer> cs = List.of(
                new TrayMenuModel.TrayContainer("id1", "web", "running", List.of("http://localhost:8080")),
                new TrayMenuModel.TrayContainer("id2", "db", "exited", List.of()),
                new TrayMenuModel.TrayContainer("id3", "scratch", "exited", List.of()));
        List<TrayMenuModel.Item> items = m.items(new TrayMenuModel.Snapshot(EngineStatus.RUNNING, "", false, true, false, cs, Set.of("db")));
        assertEquals(List.of("Engine: running", "Show Berth", "web", "Start a favourite", "Pull an image…", "Stop engine", "Quit"), labels(items));
        TrayMenuModel.Item web = find(items, "web");
        assertEquals(List.of("Stop", "Restart", "Open logs", "Open http://localhost:8080"), labels(web.children()));
        web.children().forEach(i -> i.action().run());
        assertEquals(List.of("db"), labels(find(items, "Start a favourite").children()), "only stopped favourites");
        find(items, "Start a favourite").children().get(0).action().run();
        find(items, "Pull an image…").action().run();
        find(items, "Stop engine").action().run();
        assertEquals(List.of("stop id1", "restart id1", "logs id1", "open http://localhost:8080", "start id2", "pull", "stopEngine"), calls);
    }

    @Test
    void theTrayIconCarriesTheStatusColour() {
        for (EngineStatus s : EngineStatus.values()) {
            BufferedImage img = TrayIcons.icon(s, 32);
            int d = 32 * 7 / 16;
            int centre = img.getRGB(32 - d / 2 - 1, 32 - d / 2 - 1) & 0xffffff;
            assertEquals(TrayIcons.colour(s).getRGB() & 0xffffff, centre, s + "'s dot");
        }
        assertTrue(TrayIcons.class.getResource("/icons/berth-32.png") != null, "the app icon is packaged");
    }
}
