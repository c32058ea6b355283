package dev.berth.desktop.engine;

import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;

import java.nio.file.Files;
import java.util.List;
import java.util.Optional;

/**
 * The engine's status for the window and the tray (starting, running, stopped, error), why, and what
 * to do; and the start/stop actions. It follows the connection's state and, when the engine is
 * unreachable, probes the socket to tell "not running" (which the app can fix by starting Berth's
 * engine) from "not allowed" (which the user must fix).
 */
public final class EngineStatusModel {
    private static final int LOG_LINES = 8;

    private final UiExecutor ui;
    private final ObservableValue<EngineConnection.State> connection;
    private final ObservableValue<String> connectionError;
    private EngineTarget target;
    private final Launcher launcher;
    private final SocketProbe probe;
    private final ReadOnlyObjectWrapper<EngineStatus> status = new ReadOnlyObjectWrapper<>(EngineStatus.STARTING);
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper("Connecting…");
    private final ReadOnlyStringWrapper logTail = new ReadOnlyStringWrapper("");
    private final ReadOnlyBooleanWrapper canStart = new ReadOnlyBooleanWrapper(false);
    private final ReadOnlyBooleanWrapper canStop = new ReadOnlyBooleanWrapper(false);
    private EngineProcess started;
    private boolean stopping;
    /** From a start's click until its launch has answered: a second click then starts nothing more. */
    private boolean launching;

    public EngineStatusModel(UiExecutor ui, ObservableValue<EngineConnection.State> connection,
                             ObservableValue<String> connectionError, EngineTarget target, Launcher launcher, SocketProbe probe) {
        this.ui = ui;
        this.connection = connection;
        this.connectionError = connectionError;
        this.target = target;
        this.launcher = launcher;
        this.probe = probe;
        connection.addListener((o, a, b) -> follow());
        // A probe that ran while a killed engine was still closing its sockets can find the listener
        // answering; the next failed attempt (its reason differs) probes again instead of leaving
        // "connecting" up for good.
        connectionError.addListener((o, a, b) -> {
            if (connection.getValue() == EngineConnection.State.DISCONNECTED) {
                follow();
            }
        });
        follow();
    }

    public ReadOnlyObjectProperty<EngineStatus> statusProperty() {
        return status.getReadOnlyProperty();
    }

    public EngineStatus status() {
        return status.get();
    }

    /** One line: what is the matter and what to do about it. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    /** The last lines of the log of the engine the app started (empty for any other engine). */
    public ReadOnlyStringProperty logTailProperty() {
        return logTail.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStartProperty() {
        return canStart.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty canStopProperty() {
        return canStop.getReadOnlyProperty();
    }

    public EngineTarget target() {
        return target;
    }

    /** After a switch to another connection: the status now concerns that engine. */
    public void retarget(EngineTarget next) {
        target = next;
        set(EngineStatus.STARTING, "Connecting to " + next.endpoint().uri() + "…");
    }

    /**
     * The data root chosen in Settings: the next start uses it; an engine already running keeps its
     * own until it is restarted.
     */
    public void useDataRoot(java.nio.file.Path dataRoot) {
        if (!dataRoot.equals(target.dataRoot())) {
            target = new EngineTarget(target.endpoint(), target.own(), dataRoot);
            updateActions(); // whether this user may start it depends on the directory
        }
    }

    /** True while an engine this app started is alive: quitting should ask whether to stop it. */
    public boolean startedEngineAlive() {
        return started != null && started.isAlive();
    }

    /** The process id of the engine this app started and that is still alive. */
    public java.util.OptionalLong startedPid() {
        return startedEngineAlive() ? java.util.OptionalLong.of(started.pid()) : java.util.OptionalLong.empty();
    }

    /** At app start: starts Berth's engine when it is not running and this user may start it. */
    public void startIfNeeded() {
        if (!target.own() || connection.getValue() == EngineConnection.State.CONNECTED) {
            return;
        }
        ui.background(() -> probe.probe(target.endpoint()), r -> {
            if ((r.reach() == SocketProbe.Reach.ABSENT || r.reach() == SocketProbe.Reach.REFUSED)
                    && launcher.whyNot(target).isEmpty() && connection.getValue() != EngineConnection.State.CONNECTED) {
                start();
            } else {
                explain(r);
            }
        }, e -> { });
    }

    /** The start action (tray and dashboard). */
    public void start() {
        if (launching || startedEngineAlive() || connection.getValue() == EngineConnection.State.CONNECTED) {
            return;
        }
        Optional<String> why = launcher.whyNot(target);
        if (why.isPresent()) {
            set(EngineStatus.ERROR, "Cannot start the engine: " + why.get());
            return;
        }
        stopping = false;
        set(EngineStatus.STARTING, "Starting Berth's engine on " + target.socket() + "…");
        // Behind the settings writes asked for before this click: a data root typed just before it has
        // landed and been followed (useDataRoot) by then, so a half-typed one never starts the engine.
        launching = true;
        ui.inOrder(() -> ui.onUi(this::launch));
    }

    private void launch() {
        if (connection.getValue() == EngineConnection.State.CONNECTED) {
            launching = false;
            updateActions();
            return;
        }
        EngineTarget t = target;
        Optional<String> why = launcher.whyNot(t);
        if (why.isPresent()) {
            launching = false;
            set(EngineStatus.ERROR, "Cannot start the engine: " + why.get());
            return;
        }
        set(EngineStatus.STARTING, "Starting Berth's engine on " + t.socket() + "…");
        ui.background(() -> launcher.launch(t), p -> {
            launching = false;
            started = p;
            logTail.set(String.join("\n", LogTail.lastLines(p.log(), LOG_LINES)));
            p.onExit().thenAccept(code -> ui.onUi(() -> exited(p, code)));
            follow();
        }, e -> {
            launching = false;
            set(EngineStatus.ERROR, "Could not start the engine: " + e.getMessage());
        });
    }

    /** The stop action: only for the engine this app started; others are stopped where they were started. */
    public void stop() {
        if (!startedEngineAlive()) {
            message.set("This engine was not started by Berth Desktop: stop it where it was started "
                    + "(its terminal, or your service manager).");
            return;
        }
        stopping = true;
        set(EngineStatus.STOPPED, "Stopping the engine…");
        EngineProcess p = started;
        ui.background(p::stop);
    }

    private void exited(EngineProcess p, int code) {
        if (p != started) {
            return;
        }
        logTail.set(String.join("\n", LogTail.lastLines(p.log(), LOG_LINES)));
        if (stopping || code == 0 || code == 143) {
            set(EngineStatus.STOPPED, "The engine stopped." + startHint());
        } else {
            set(EngineStatus.ERROR, "The engine exited with code " + code + "; see " + p.log());
        }
        updateActions();
    }

    private void follow() {
        EngineConnection.State s = connection.getValue();
        if (s == EngineConnection.State.CONNECTED) {
            stopping = false;
            set(EngineStatus.RUNNING, "Engine running at " + target.endpoint().uri()
                    + (startedEngineAlive() ? " (started by Berth Desktop, pid " + started.pid() + ")" : ""));
            if (started != null) {
                logTail.set(String.join("\n", LogTail.lastLines(started.log(), LOG_LINES)));
            }
        } else if (s == EngineConnection.State.DISCONNECTED) {
            if ((launching || startedEngineAlive()) && !stopping && status.get() == EngineStatus.STARTING) {
                updateActions(); // still coming up: the connection retries until it answers
                return;
            }
            if (started != null && !started.isAlive() && status.get() != EngineStatus.RUNNING) {
                updateActions(); // exited() has said why
                return;
            }
            ui.background(() -> probe.probe(target.endpoint()), this::explain,
                    e -> set(EngineStatus.ERROR, "Engine not reachable: " + connectionError.getValue()));
        }
        updateActions();
    }

    private void explain(SocketProbe.Result r) {
        if (connection.getValue() == EngineConnection.State.CONNECTED) {
            return;
        }
        if ((launching || startedEngineAlive()) && !stopping && status.get() == EngineStatus.STARTING
                && (r.reach() == SocketProbe.Reach.ABSENT || r.reach() == SocketProbe.Reach.REFUSED)) {
            // a probe begun before the launch (the connection's first failure) answering after it: the
            // engine this app started is still coming up, "starting" stays (DeskEngineFxTest saw "stopped")
            return;
        }
        switch (r.reach()) {
            case ABSENT, REFUSED -> set(EngineStatus.STOPPED, (target.own() ? "Berth's engine is not running" : "No engine is listening")
                    + " at " + target.socket() + "." + startHint());
            case DENIED -> set(EngineStatus.ERROR, deniedAdvice());
            case ANSWERS -> set(EngineStatus.STARTING, "Connecting to " + target.endpoint().uri() + "…");
            case OTHER -> set(EngineStatus.ERROR, "Engine not reachable at " + target.endpoint().uri() + ": "
                    + Optional.ofNullable(connectionError.getValue()).filter(e -> !e.isBlank()).orElse(r.detail()));
        }
    }

    private String startHint() {
        if (!target.own()) {
            return " Start it where it is installed, or choose another connection in Settings.";
        }
        return launcher.whyNot(target).map(w -> " The app cannot start it: " + w)
                .orElse(" Start it from the tray or the dashboard.");
    }

    private String deniedAdvice() {
        String group = "";
        try {
            group = Files.getAttribute(target.socket(), "posix:group").toString();
        } catch (Exception ignored) {
            // the advice below still holds without the group's name
        }
        String base = "Permission denied on " + target.socket() + ": ";
        if (group.isEmpty() || group.equals("root")) {
            return base + "the engine runs as root. Run Berth Desktop as root, or make the socket group-readable "
                    + "for a group you are in.";
        }
        return base + "add yourself to group " + group + " (sudo usermod -aG " + group + " $USER, then log in again).";
    }

    private void set(EngineStatus s, String text) {
        message.set(text); // first: a view showing "status — message" is then never a new status with an old message
        status.set(s);
        updateActions();
    }

    private void updateActions() {
        boolean running = connection.getValue() == EngineConnection.State.CONNECTED;
        canStart.set(target.own() && !running && !startedEngineAlive() && status.get() != EngineStatus.STARTING
                && launcher.whyNot(target).isEmpty());
        canStop.set(startedEngineAlive() && !stopping);
    }

    /** For tests and the dashboard: the tail as lines. */
    public List<String> logLines() {
        return logTail.get().isEmpty() ? List.of() : List.of(logTail.get().split("\n"));
    }
}
