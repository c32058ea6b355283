package dev.berth.desktop.engine;

import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.engine.client.EngineEndpoint;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The status and launcher logic, with the synchronous executor and a launcher that records its calls. */
class DeskEngineStatusModelTest {
    @TempDir
    Path dir;

    final SimpleObjectProperty<EngineConnection.State> conn = new SimpleObjectProperty<>(EngineConnection.State.CONNECTING);
    final SimpleStringProperty error = new SimpleStringProperty("");
    SocketProbe.Result reach = new SocketProbe.Result(SocketProbe.Reach.ABSENT, "no socket");

    final class FakeProcess implements EngineProcess {
        final CompletableFuture<Integer> exit = new CompletableFuture<>();
        int stops;

        @Override public long pid() { return 4242; }
        @Override public boolean isAlive() { return !exit.isDone(); }
        @Override public CompletableFuture<Integer> onExit() { return exit; }
        @Override public void stop() { stops++; exit.complete(143); }
        @Override public Path log() { return dir.resolve("engine.log"); }
    }

    final class FakeLauncher implements Launcher {
        final List<FakeProcess> launched = new ArrayList<>();
        String refuse;

        @Override public Optional<String> whyNot(EngineTarget t) { return Optional.ofNullable(refuse); }

        @Override public EngineProcess launch(EngineTarget t) {
            FakeProcess p = new FakeProcess();
            launched.add(p);
            return p;
        }
    }

    final FakeLauncher launcher = new FakeLauncher();

    EngineStatusModel model(boolean own) {
        Path sock = dir.resolve(own ? "berth.sock" : "docker.sock");
        EngineTarget t = new EngineTarget(EngineEndpoint.unix(sock), own, dir.resolve("data"));
        return new EngineStatusModel(UiExecutor.synchronous(), conn, error, t, launcher, e -> reach);
    }

    @Test
    void startsBerthsEngineWhenItsSocketIsAbsentAndReportsStartingThenRunning() throws IOException {
        Files.writeString(dir.resolve("engine.log"), "a\nb\nengine listening\n");
        EngineStatusModel m = model(true);
        m.startIfNeeded();
        assertEquals(1, launcher.launched.size(), "launched once");
        assertEquals(EngineStatus.STARTING, m.status());
        assertFalse(m.canStartProperty().get(), "no second start while starting");
        conn.set(EngineConnection.State.DISCONNECTED); // the connection retries while the daemon comes up
        assertEquals(EngineStatus.STARTING, m.status());
        conn.set(EngineConnection.State.CONNECTED);
        assertEquals(EngineStatus.RUNNING, m.status());
        assertTrue(m.messageProperty().get().contains("pid 4242"), m.messageProperty().get());
        assertEquals(List.of("a", "b", "engine listening"), m.logLines());
        assertTrue(m.canStopProperty().get());
        assertTrue(m.startedEngineAlive(), "quitting must ask");
    }

    @Test
    void aProbeThatRacedAKilledEngineIsRepeatedOnTheNextFailedAttempt() {
        EngineStatusModel m = model(false);
        conn.set(EngineConnection.State.CONNECTED);
        reach = new SocketProbe.Result(SocketProbe.Reach.ANSWERS, ""); // the dying daemon still listens
        error.set("the engine closed the event stream");
        conn.set(EngineConnection.State.DISCONNECTED);
        assertEquals(EngineStatus.STARTING, m.status());
        reach = new SocketProbe.Result(SocketProbe.Reach.REFUSED, "Connection refused");
        error.set("Connection refused");
        assertEquals(EngineStatus.STOPPED, m.status(), m.messageProperty().get());
    }

    @Test
    void aStaleSocketThatRefusesAlsoStartsIt() {
        reach = new SocketProbe.Result(SocketProbe.Reach.REFUSED, "Connection refused");
        model(true).startIfNeeded();
        assertEquals(1, launcher.launched.size());
    }

    @Test
    void doesNotStartAnEngineThatAnswersOrIsNotBerths() {
        reach = new SocketProbe.Result(SocketProbe.Reach.ANSWERS, "");
        model(true).startIfNeeded();
        reach = new SocketProbe.Result(SocketProbe.Reach.ABSENT, "");
        EngineStatusModel docker = model(false);
        docker.startIfNeeded();
        assertEquals(0, launcher.launched.size());
        conn.set(EngineConnection.State.DISCONNECTED);
        assertEquals(EngineStatus.STOPPED, docker.status());
        assertFalse(docker.canStartProperty().get(), "Docker's engine is not the app's to start");
        assertTrue(docker.messageProperty().get().contains("another connection"), docker.messageProperty().get());
    }

    @Test
    void whenTheUserMayNotStartItSaysWhyAndWhatToDo() {
        launcher.refuse = "you cannot write /var/lib/berth. Run it as root: sudo bin/berth daemon";
        EngineStatusModel m = model(true);
        m.startIfNeeded();
        assertEquals(0, launcher.launched.size());
        conn.set(EngineConnection.State.DISCONNECTED);
        assertEquals(EngineStatus.STOPPED, m.status());
        assertTrue(m.messageProperty().get().contains("sudo bin/berth daemon"), m.messageProperty().get());
        m.start();
        assertEquals(EngineStatus.ERROR, m.status());
        assertTrue(m.messageProperty().get().startsWith("Cannot start the engine"), m.messageProperty().get());
    }

    @Test
    void permissionDeniedIsAnErrorWithAdvice() {
        reach = new SocketProbe.Result(SocketProbe.Reach.DENIED, "Permission denied");
        EngineStatusModel m = model(true);
        conn.set(EngineConnection.State.DISCONNECTED);
        assertEquals(EngineStatus.ERROR, m.status());
        assertTrue(m.messageProperty().get().startsWith("Permission denied on " + dir.resolve("berth.sock")), m.messageProperty().get());
    }

    @Test
    void anEngineThatDiesIsAnErrorWithItsLogAndOneThatIsStoppedIsStopped() throws IOException {
        EngineStatusModel m = model(true);
        m.start();
        conn.set(EngineConnection.State.CONNECTED);
        Files.writeString(dir.resolve("engine.log"), "boom: data root locked\n");
        launcher.launched.get(0).exit.complete(1);
        conn.set(EngineConnection.State.DISCONNECTED);
        assertEquals(EngineStatus.ERROR, m.status());
        assertTrue(m.messageProperty().get().contains("exited with code 1"), m.messageProperty().get());
        assertEquals(List.of("boom: data root locked"), m.logLines());
        assertTrue(m.canStartProperty().get(), "it can be started again");

        m.start();
        FakeProcess second = launcher.launched.get(1);
        conn.set(EngineConnection.State.CONNECTED);
        m.stop();
        assertEquals(1, second.stops);
        conn.set(EngineConnection.State.DISCONNECTED);
        assertEquals(EngineStatus.STOPPED, m.status());
        assertFalse(m.startedEngineAlive(), "nothing to ask about on quit");
    }

    @Test
    void stopRefusesAnEngineTheAppDidNotStart() {
        reach = new SocketProbe.Result(SocketProbe.Reach.ANSWERS, "");
        EngineStatusModel m = model(true);
        conn.set(EngineConnection.State.CONNECTED);
        assertFalse(m.canStopProperty().get());
        m.stop();
        assertEquals(EngineStatus.RUNNING, m.status());
        assertTrue(m.messageProperty().get().contains("not started by Berth Desktop"));
    }

    @Test
    void logTailReadsOnlyTheLastLines() throws IOException {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 5000; i++) {
            b.append("line ").append(i).append('\n');
        }
        Path log = Files.writeString(dir.resolve("big.log"), b);
        assertEquals(List.of("line 4997", "line 4998", "line 4999"), LogTail.lastLines(log, 3));
        assertEquals(List.of(), LogTail.lastLines(dir.resolve("none.log"), 3));
    }

    @Test
    void daemonLauncherExplainsAMissingLauncherAndUnwritableDirectories() {
        EngineTarget t = new EngineTarget(EngineEndpoint.unix(dir.resolve("s/berth.sock")), true, dir.resolve("data"));
        assertTrue(new DaemonLauncher(List.of("/nonexistent/bin/berth", "daemon"), true).whyNot(t).orElseThrow().contains("missing"));
        assertEquals(Optional.empty(), new DaemonLauncher(List.of("/bin/sh", "daemon"), false).whyNot(t), "a writable temp dir");
        EngineTarget locked = new EngineTarget(EngineEndpoint.unix(Path.of("/proc/berth/berth.sock")), true, dir.resolve("data"));
        if (!dev.berth.images.layer.Posix.isRoot()) {
            assertTrue(new DaemonLauncher(List.of("/bin/sh", "daemon"), false).whyNot(locked).isPresent());
        }
        assertTrue(EngineTarget.of(EngineEndpoint.unix(Path.of("/var/run/docker.sock")), Path.of("/run/berth/berth.sock"), dir).own() == false);
        assertTrue(EngineTarget.of(EngineEndpoint.unix(Path.of("/tmp/x/berth-test.sock")), Path.of("/run/berth/berth.sock"), dir).own());
    }
}
