package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/** Desktop notifications (ControlsFX) for what the user would want to know without looking: exits, lost engine. */
public final class Notifier {
    private Notifier() {
    }

    public static void install(AppServices services, Window owner) {
        install(services, (title, text) -> show(owner, title, text));
    }

    /** Hands each notification (title, text) to {@code show}, on the UI thread. */
    public static void install(AppServices services, java.util.function.BiConsumer<String, String> show) {
        services.engine().onEvent(e -> {
            if ("container".equals(e.type()) && "die".equals(e.action())) {
                String name = e.actor().attributes().getOrDefault("name", e.actor().id());
                String code = e.actor().attributes().getOrDefault("exitCode", "?");
                // A clean exit (0) is what the user asked for; only failures are worth interrupting them.
                if (!"0".equals(code)) {
                    show.accept("Container failed", name + " exited with code " + code);
                }
            } else if ("image".equals(e.type()) && "pull".equals(e.action())) {
                show.accept("Pull finished", e.actor().attributes().getOrDefault("name", e.actor().id()) + " is ready");
            }
        });
        services.engine().stateProperty().addListener((o, a, b) -> {
            if (a == EngineConnection.State.CONNECTED && b == EngineConnection.State.DISCONNECTED) {
                show.accept("Engine stopped", "Berth will reconnect when the engine is back.");
            } else if (a == EngineConnection.State.DISCONNECTED && b == EngineConnection.State.CONNECTED) {
                show.accept("Engine back", "Reconnected to " + services.engine().endpoint().uri());
            }
        });
    }

    static void show(Window owner, String title, String text) {
        Notifications.create().owner(owner).title(title).text(text).hideAfter(Duration.seconds(5)).showInformation();
    }
}
