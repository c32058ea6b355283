package dev.berth.desktop.containers;

import java.awt.Desktop;
import java.net.URI;

/** Opens a published port's address in a browser; the view is given one, so a test can record instead. */
@FunctionalInterface
public interface Browser {
    void open(String url);

    /** The user's browser, where the desktop offers one (else xdg-open), started off the FX thread. */
    static Browser desktop() {
        return url -> Thread.ofVirtual().start(() -> {
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
