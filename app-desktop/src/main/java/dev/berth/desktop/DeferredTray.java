package dev.berth.desktop;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.tray.Tray;
import dev.berth.desktop.tray.TrayController;
import dev.berth.desktop.tray.TrayMenuModel;
import dev.berth.desktop.ui.MainWindow;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The tray icon, set up {@link #DELAY} after the window shows and off the UI thread: java.awt.SystemTray
 * starts AWT's toolkit, some hundreds of ms of CPU that the first containers list need not wait for.
 */
final class DeferredTray {
    static final Duration DELAY = Duration.seconds(2);

    private DeferredTray() {
    }

    static void install(AppServices services, Stage stage, MainWindow main) {
        PauseTransition wait = new PauseTransition(DELAY);
        wait.setOnFinished(e -> Thread.ofPlatform().daemon().name("berth-desktop-tray").start(() -> {
            Tray tray = Tray.install();
            if (tray != null) {
                Platform.runLater(() -> wire(services, stage, main, tray));
            }
        }));
        wait.play();
    }

    private static void wire(AppServices services, Stage stage, MainWindow main, Tray tray) {
        // From now on closing the window hides it: the tray's "Show" brings it back.
        Platform.setImplicitExit(false);
        DesktopTrayActions actions = new DesktopTrayActions(services, stage, main);
        TrayController controller = new TrayController(services, new TrayMenuModel(actions), tray, stage::isShowing);
        actions.onWindowToggled(controller::refresh);
        stage.showingProperty().addListener((o, a, b) -> controller.refresh());
    }
}
