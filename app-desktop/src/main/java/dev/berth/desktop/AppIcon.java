package dev.berth.desktop;

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
}
