package dev.berth.desktop.tray;

import dev.berth.desktop.core.EngineConnection;

import java.awt.MenuItem;
import java.awt.PopupMenu;
import java.awt.SystemTray;
import java.awt.TrayIcon;
import java.awt.image.BufferedImage;

/** The system-tray icon where the desktop has a tray (java.awt.SystemTray); says once when it has none. */
public final class Tray {
    private Tray() {
    }

    /** Installs the icon; returns false (after one line on stderr) when there is no tray. */
    public static boolean install(TrayMenuModel model, EngineConnection engine) {
        try {
            if (!SystemTray.isSupported()) {
                System.err.println("berth-desktop: this desktop has no system tray; closing the window quits the app");
                return false;
            }
            PopupMenu menu = new PopupMenu();
            Runnable rebuild = () -> {
                menu.removeAll();
                for (TrayMenuModel.Item i : model.items(engine.state())) {
                    MenuItem m = new MenuItem(i.label());
                    m.setEnabled(i.enabled());
                    m.addActionListener(e -> i.action().run());
                    menu.add(m);
                }
            };
            rebuild.run();
            engine.stateProperty().addListener((o, a, b) -> java.awt.EventQueue.invokeLater(rebuild));
            BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_ARGB);
            java.awt.Graphics2D g = img.createGraphics();
            g.setColor(new java.awt.Color(0x0969da));
            g.fillRoundRect(1, 1, 14, 14, 4, 4);
            g.dispose();
            TrayIcon icon = new TrayIcon(img, "Berth", menu);
            icon.setImageAutoSize(true);
            SystemTray.getSystemTray().add(icon);
            return true;
        } catch (Exception e) {
            System.err.println("berth-desktop: no system tray (" + e.getMessage() + "); closing the window quits the app");
            return false;
        }
    }
}
