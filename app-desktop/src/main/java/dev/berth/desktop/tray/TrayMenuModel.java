package dev.berth.desktop.tray;

import dev.berth.desktop.core.EngineConnection;

import java.util.List;

/** What the tray menu offers, independent of AWT so it can be tested without a tray. */
public final class TrayMenuModel {
    /** One entry: its label, whether it can be chosen, and what choosing it does. */
    public record Item(String label, boolean enabled, Runnable action) {
    }

    private final Runnable showWindow;
    private final Runnable quit;

    public TrayMenuModel(Runnable showWindow, Runnable quit) {
        this.showWindow = showWindow;
        this.quit = quit;
    }

    public List<Item> items(EngineConnection.State state) {
        String status = switch (state) {
            case CONNECTED -> "Engine: running";
            case CONNECTING -> "Engine: connecting…";
            case DISCONNECTED -> "Engine: not reachable";
        };
        return List.of(new Item(status, false, () -> { }), new Item("Open Berth", true, showWindow), new Item("Quit", true, quit));
    }
}
