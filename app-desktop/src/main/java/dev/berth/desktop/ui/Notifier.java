package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

/** Desktop notifications (ControlsFX) for what the user would want to know without looking: exits, lost engine. */
public final class Notifier {
    /** The catalog setting that turns notifications off ("false"); on when absent. */
    public static final String ENABLED = "notifications.enabled";

    private Notifier() {
    }

    /** Whether a stored {@link #ENABLED} value (absent: empty) means notifications are on. */
    public static boolean enabled(java.util.Optional<String> setting) {
        return !"false".equals(setting.orElse("true"));
    }

    public static void install(AppServices services, Window owner) {
        install(services, (title, text) -> show(owner, title, text));
    }

    /**
     * Hands each notification (title, text) to {@code show}, on the UI thread, unless the
     * {@link #ENABLED} setting is "false". The setting is read and followed off the UI thread: once
     * through {@code inOrder} (so it cannot overtake a write asked for earlier), then as it is written.
     */
    public static void install(AppServices services, java.util.function.BiConsumer<String, String> sink) {
        boolean[] on = {true}; // touched on the UI thread only
        java.util.function.BiConsumer<String, String> show = (title, text) -> {
            if (on[0]) {
                sink.accept(title, text);
            }
        };
        if (services.catalog() != null) {
            var catalog = services.catalog();
            services.ui().inOrder(() -> {
                boolean value = enabled(catalog.setting(ENABLED));
                services.ui().onUi(() -> on[0] = value);
            });
            catalog.onSettingChanged((key, value) -> {
                if (ENABLED.equals(key)) {
                    services.ui().onUi(() -> on[0] = enabled(java.util.Optional.ofNullable(value)));
                }
            });
        }
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
