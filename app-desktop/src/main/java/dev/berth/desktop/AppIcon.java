package dev.berth.desktop;

import javafx.application.Platform;
import javafx.scene.Scene;
import javafx.scene.image.Image;
import javafx.stage.Stage;

import java.io.InputStream;

/** The window icon, from the app's resources (icons/berth-*.png). */
final class AppIcon {
    private AppIcon() {
    }

    static void install(Stage stage) {
        for (int size : new int[] {16, 32, 64, 128, 256}) {
            InputStream in = AppIcon.class.getResourceAsStream("/icons/berth-" + size + ".png");
            if (in != null) {
                stage.getIcons().add(new Image(in));
            }
        }
    }

    /**
     * Installs the icon once the window's first frame is laid out: decoding the five PNGs takes the UI
     * thread ~10 ms that the first frame need not wait for (bench/desktop/RESULTS.md).
     */
    static void installAfterFirstLayout(Stage stage, Scene scene) {
        Runnable[] once = new Runnable[1];
        once[0] = () -> {
            scene.removePostLayoutPulseListener(once[0]);
            Platform.runLater(() -> install(stage));
        };
        scene.addPostLayoutPulseListener(once[0]);
    }
}
