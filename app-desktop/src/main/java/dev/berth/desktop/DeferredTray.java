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

    /** Said in the window (and once on stderr by {@link Tray#install}) where the desktop has no tray. */
    static final String NO_TRAY = "No system tray on this desktop: Berth lives in this window, and closing it quits the app.";

    static void install(AppServices services, Stage stage, MainWindow main) {
        install(services, stage, main, DELAY, Tray::install);
    }

    /**
     * {@code installer}: {@link Tray#install}, or a test's stand-in; {@code delay}: {@link #DELAY} in the
     * app. False when this window already had its set-up (nothing is done again).
     */
    static boolean install(AppServices services, Stage stage, MainWindow main, Duration delay, java.util.function.Supplier<Tray> installer) {
        // One set-up per window: another would add a second icon, or say "no tray" again.
        if (main.getProperties().putIfAbsent(DeferredTray.class, Boolean.TRUE) != null) {
            return false;
        }
        // Counted from the engine's first answer (connected or not), not from the window: on a busy
        // machine the first lists come seconds after the window, and the tray is not to compete with them.
        PauseTransition wait = new PauseTransition(delay);
        wait.setOnFinished(e -> Thread.ofPlatform().daemon().name("berth-desktop-tray").start(() -> {
            Tray tray = installer.get();
            if (tray != null) {
                Platform.runLater(() -> wire(services, stage, main, tray));
            } else {
                // The window stays the app's only way in: the user is told there, not only on stderr.
                Platform.runLater(() -> main.noticeProperty().set(NO_TRAY));
            }
        }));
        if (services.engine().state() != EngineConnection.State.CONNECTING) {
            wait.play();
            return true;
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
        return true;
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
