package dev.berth.desktop;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.tray.Tray;
import dev.berth.desktop.tray.TrayController;
import dev.berth.desktop.tray.TrayMenuModel;
import dev.berth.desktop.ui.MainWindow;
import javafx.animation.PauseTransition;
import javafx.application.Platform;
import javafx.stage.Stage;
import javafx.util.Duration;

/**
 * The tray icon, set up {@link #DELAY} after the engine first answers and off the UI thread:
 * java.awt.SystemTray starts AWT's toolkit, some hundreds of ms of CPU that the first containers list
 * need not wait for.
 */
final class DeferredTray {
    static final Duration DELAY = Duration.seconds(3);

    private DeferredTray() {
    }

    static void install(AppServices services, Stage stage, MainWindow main) {
        // Counted from the engine's first answer (connected or not), not from the window: on a busy
        // machine the first lists come seconds after the window, and the tray is not to compete with them.
        PauseTransition wait = new PauseTransition(DELAY);
        wait.setOnFinished(e -> Thread.ofPlatform().daemon().name("berth-desktop-tray").start(() -> {
            Tray tray = Tray.install();
            if (tray != null) {
                Platform.runLater(() -> wire(services, stage, main, tray));
            }
        }));
        if (services.engine().state() != EngineConnection.State.CONNECTING) {
            wait.play();
            return;
        }
        services.engine().stateProperty().addListener(new javafx.beans.value.ChangeListener<>() {
            @Override
            public void changed(javafx.beans.value.ObservableValue<? extends EngineConnection.State> o,
                                EngineConnection.State a, EngineConnection.State b) {
                if (b != EngineConnection.State.CONNECTING) {
                    o.removeListener(this);
                    wait.play();
                }
            }
        });
    }

    private static void wire(AppServices services, Stage stage, MainWindow main, Tray tray) {
        // From now on closing the window hides it: the tray's "Show" brings it back.
        Platform.setImplicitExit(false);
        DesktopTrayActions actions = new DesktopTrayActions(services, stage, main);
        TrayController controller = new TrayController(services, new TrayMenuModel(actions), tray::show, stage::isShowing);
        actions.onWindowToggled(controller::refresh);
        stage.showingProperty().addListener((o, a, b) -> controller.refresh());
    }
}
