package dev.berth.desktop.tray;

import dev.berth.desktop.engine.EngineStatus;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** What the tray menu offers, independent of AWT so it can be tested without a tray. */
public final class TrayMenuModel {
    /** One entry: its label, whether it can be chosen, what choosing it does, and its submenu (if any). */
    public record Item(String label, boolean enabled, Runnable action, List<Item> children) {
        public Item(String label, boolean enabled, Runnable action) {
            this(label, enabled, action, List.of());
        }
    }

    /** A container as the tray lists it: published ports as URLs to open. */
    public record TrayContainer(String id, String name, String state, List<String> urls) {
        boolean running() {
            return state.equals("running");
        }
    }

    /** What the menu's entries do; the app wires them to the window, the engine and the status model. */
    public interface Actions {
        void showHide();

        void quit();

        void startEngine();

        void stopEngine();

        void pullImage();

        void startContainer(String id);

        void stopContainer(String id);

        void restartContainer(String id);

        void openLogs(String id, String name);

        void openUrl(String url);
    }

    /** Everything the menu depends on, at one moment. */
    public record Snapshot(EngineStatus status, String message, boolean canStart, boolean canStop, boolean windowShowing,
                           List<TrayContainer> containers, Set<String> favourites) {
    }

    private final Actions actions;

    public TrayMenuModel(Actions actions) {
        this.actions = actions;
    }

    public List<Item> items(Snapshot s) {
        List<Item> items = new ArrayList<>();
        items.add(new Item("Engine: " + s.status().label(), false, () -> { }));
        items.add(new Item(s.windowShowing() ? "Hide Berth" : "Show Berth", true, actions::showHide));
        boolean running = s.status() == EngineStatus.RUNNING;
        List<TrayContainer> up = s.containers().stream().filter(TrayContainer::running).toList();
        if (running) {
            if (up.isEmpty()) {
                items.add(new Item("No running containers", false, () -> { }));
            }
            for (TrayContainer c : up) {
                List<Item> sub = new ArrayList<>();
                sub.add(new Item("Stop", true, () -> actions.stopContainer(c.id())));
                sub.add(new Item("Restart", true, () -> actions.restartContainer(c.id())));
                sub.add(new Item("Open logs", true, () -> actions.openLogs(c.id(), c.name())));
                for (String url : c.urls()) {
                    sub.add(new Item("Open " + url, true, () -> actions.openUrl(url)));
                }
                items.add(new Item(c.name(), true, () -> { }, sub));
            }
            List<Item> favourites = s.containers().stream()
                    .filter(c -> !c.running() && s.favourites().contains(c.name()))
                    .map(c -> new Item(c.name(), true, () -> actions.startContainer(c.id()))).toList();
            if (!favourites.isEmpty()) {
                items.add(new Item("Start a favourite", true, () -> { }, favourites));
            }
            items.add(new Item("Pull an image…", true, actions::pullImage));
        }
        if (s.canStart()) {
            items.add(new Item("Start engine", true, actions::startEngine));
        }
        if (s.canStop()) {
            items.add(new Item("Stop engine", true, actions::stopEngine));
        }
        items.add(new Item("Quit", true, actions::quit));
        return items;
    }
}
