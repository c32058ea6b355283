package dev.berth.desktop.containers;

import java.awt.Desktop;
import java.net.URI;

/** Opens a published port in the user's browser, where the desktop offers one. */
final class Browser {
    private Browser() {
    }

    static void open(String url) {
        Thread.ofVirtual().start(() -> {
            try {
                if (Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.BROWSE)) {
                    Desktop.getDesktop().browse(URI.create(url));
                } else {
                    new ProcessBuilder("xdg-open", url).start();
                }
            } catch (Exception ignored) {
                // no browser to open: the link stays visible to copy
            }
        });
    }
}
