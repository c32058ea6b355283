package dev.berth.desktop;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.engine.EngineStatusModel;
import dev.berth.desktop.tray.TrayMenuModel;
import dev.berth.desktop.ui.MainWindow;
import dev.berth.engine.client.MessageStream;
import dev.berth.engine.client.model.JsonMessage;
import javafx.application.Platform;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonBar;
import javafx.scene.control.ButtonType;
import javafx.scene.control.TextInputDialog;
import javafx.stage.Stage;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.util.Optional;

/** What the tray's entries do (called on AWT's thread; everything here hops to the UI thread). */
public final class DesktopTrayActions implements TrayMenuModel.Actions {
    static final ButtonType STOP_AND_QUIT = new ButtonType("Stop engine and quit", ButtonBar.ButtonData.YES);
    static final ButtonType KEEP_AND_QUIT = new ButtonType("Quit, keep the engine running", ButtonBar.ButtonData.NO);

    private final AppServices services;
    private final Stage stage;
    private final MainWindow main;
    private Runnable windowToggled = () -> { };

    public DesktopTrayActions(AppServices services, Stage stage, MainWindow main) {
        this.services = services;
        this.stage = stage;
        this.main = main;
    }

    void onWindowToggled(Runnable r) {
        windowToggled = r;
    }

    private Runnable exit = Platform::exit;

    /** What quitting ends with: the app's exit, or (in tests, which keep their toolkit) something else. */
    void exitWith(Runnable r) {
        exit = r;
    }

    private void ui(Runnable r) {
        services.ui().onUi(r);
    }

    private void showWindow() {
        stage.show();
        stage.setIconified(false);
        stage.toFront();
    }

    @Override
    public void showHide() {
        ui(() -> {
            if (stage.isShowing()) {
                stage.hide();
            } else {
                showWindow();
            }
            windowToggled.run();
        });
    }

    @Override
    public void quit() {
        ui(() -> {
            EngineStatusModel m = services.engineStatus();
            if (m.startedEngineAlive()) {
                Alert a = new Alert(Alert.AlertType.CONFIRMATION, "Berth Desktop started the engine on " + m.target().socket()
                        + ". Stop it too? Running containers keep running either way; a stopped engine cannot be reached by docker or the app.",
                        STOP_AND_QUIT, KEEP_AND_QUIT, ButtonType.CANCEL);
                a.setHeaderText("Quit Berth");
                a.initOwner(stage.isShowing() ? stage : null);
                Optional<ButtonType> choice = a.showAndWait();
                if (choice.isEmpty() || choice.get() == ButtonType.CANCEL) {
                    return;
                }
                if (choice.get() == STOP_AND_QUIT) {
                    m.stop();
                }
            }
            exit.run();
        });
    }

    @Override
    public void startEngine() {
        ui(() -> services.engineStatus().start());
    }

    @Override
    public void stopEngine() {
        ui(() -> services.engineStatus().stop());
    }

    @Override
    public void pullImage() {
        ui(() -> {
            TextInputDialog d = new TextInputDialog();
            d.setTitle("Pull an image");
            d.setHeaderText("Image to pull (e.g. busybox:latest)");
            d.showAndWait().map(String::strip).filter(s -> !s.isEmpty()).ifPresent(ref ->
                    services.ui().background(() -> {
                        try (MessageStream<JsonMessage> s = services.engine().client().pullImage(ref, null, null)) {
                            while (s.hasNext()) {
                                JsonMessage m = s.next();
                                if (m.isError()) {
                                    throw new IllegalStateException(m.errorMessage());
                                }
                            }
                        }
                        return ref;
                    }, r -> { }, e -> notify("Pull failed", ref + ": " + e.getMessage())));
        });
    }

    @Override
    public void startContainer(String id) {
        services.ui().background(() -> services.engine().client().containers().start(id), r -> { },
                e -> notify("Start failed", e.getMessage()));
    }

    @Override
    public void stopContainer(String id) {
        services.ui().background(() -> services.engine().client().containers().stop(id, null, null), r -> { },
                e -> notify("Stop failed", e.getMessage()));
    }

    @Override
    public void restartContainer(String id) {
        services.ui().background(() -> {
            services.engine().client().containers().restart(id, null, null);
            return null;
        }, r -> { }, e -> notify("Restart failed", e.getMessage()));
    }

    @Override
    public void openLogs(String id, String name) {
        ui(() -> {
            showWindow();
            main.show("containers");
            dev.berth.desktop.containers.ContainerDetailPane.showTab(stage, id, name, services, "Logs");
            windowToggled.run();
        });
    }

    @Override
    public void openUrl(String url) {
        Thread.ofVirtual().start(() -> {
            try {
                if (java.awt.Desktop.isDesktopSupported() && java.awt.Desktop.getDesktop().isSupported(java.awt.Desktop.Action.BROWSE)) {
                    java.awt.Desktop.getDesktop().browse(java.net.URI.create(url));
                } else {
                    new ProcessBuilder("xdg-open", url).start();
                }
            } catch (Exception e) {
                ui(() -> notify("Cannot open " + url, String.valueOf(e.getMessage())));
            }
        });
    }

    private void notify(String title, String text) {
        Notifications.create().title(title).text(text).hideAfter(Duration.seconds(6)).showWarning();
    }
}
