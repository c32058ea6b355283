package dev.berth.desktop.tray;

import dev.berth.desktop.core.EngineConnection;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

class DeskTrayMenuModelTest {
    @Test
    void menuShowsEngineStateAndItsItemsAct() {
        AtomicInteger shown = new AtomicInteger();
        AtomicInteger quit = new AtomicInteger();
        TrayMenuModel m = new TrayMenuModel(shown::incrementAndGet, quit::incrementAndGet);
        List<TrayMenuModel.Item> items = m.items(EngineConnection.State.DISCONNECTED);
        assertEquals(List.of("Engine: not reachable", "Open Berth", "Quit"), items.stream().map(TrayMenuModel.Item::label).toList());
        assertFalse(items.get(0).enabled(), "the status line is information, not an action");
        items.get(1).action().run();
        items.get(2).action().run();
        assertEquals(1, shown.get());
        assertEquals(1, quit.get());
        assertEquals("Engine: running", m.items(EngineConnection.State.CONNECTED).get(0).label());
    }
}
