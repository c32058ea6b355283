package dev.berth.desktop.tray;

import java.awt.Menu;
import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.util.List;

/**
 * The system-tray icon where the desktop has a tray (java.awt.SystemTray); says once when it has
 * none. Its menu and icon are rebuilt from {@link TrayMenuModel} whenever what they show changes.
 */
public final class Tray {
    private final TrayIcon icon;
    private final PopupMenu menu;

    private Tray(TrayIcon icon, PopupMenu menu) {
        this.icon = icon;
        this.menu = menu;
    }

    /** Installs the icon; returns null (after one line on stderr) when there is no tray. */
    public static Tray install() {
        try {
            if (!SystemTray.isSupported()) {
                System.err.println("berth-desktop: this desktop has no system tray; closing the window quits the app");
                return null;
            }
            PopupMenu menu = new PopupMenu();
            TrayIcon icon = new TrayIcon(TrayIcons.icon(dev.berth.desktop.engine.EngineStatus.STARTING, 32), "Berth", menu);
            icon.setImageAutoSize(true);
            SystemTray.getSystemTray().add(icon);
            return new Tray(icon, menu);
        } catch (Exception | Error e) {
            System.err.println("berth-desktop: no system tray (" + e.getMessage() + "); closing the window quits the app");
            return null;
        }
    }

    /** Shows this snapshot (any thread: the work is done on AWT's). */
    public void show(TrayMenuModel model, TrayMenuModel.Snapshot s) {
        List<TrayMenuModel.Item> items = model.items(s);
        java.awt.EventQueue.invokeLater(() -> {
            menu.removeAll();
            for (TrayMenuModel.Item i : items) {
                menu.add(toAwt(i));
            }
            icon.setImage(TrayIcons.icon(s.status(), 32));
            icon.setToolTip("Berth — engine " + s.status().label() + (s.message().isEmpty() ? "" : ": " + s.message()));
        });
    }

    private static MenuItem toAwt(TrayMenuModel.Item i) {
        if (!i.children().isEmpty()) {
            Menu m = new Menu(i.label());
            i.children().forEach(c -> m.add(toAwt(c)));
            return m;
        }
        MenuItem m = new MenuItem(i.label());
        m.setEnabled(i.enabled());
        m.addActionListener(e -> i.action().run());
        return m;
    }

    public void remove() {
        java.awt.EventQueue.invokeLater(() -> SystemTray.getSystemTray().remove(icon));
    }
}
