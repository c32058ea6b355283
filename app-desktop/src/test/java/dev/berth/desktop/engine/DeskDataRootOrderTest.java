package dev.berth.desktop.engine;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.SettingsViewModel;
import dev.berth.engine.client.EngineEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * "Start engine" clicked while the data root typed in Settings is still being written, key by key,
 * behind other settings writes: the engine is launched with the whole typed value, not the stored one
 * nor a half-typed one. The settings writes are held in a queue the test runs, so the order is
 * certain (the FX test DeskDataRootFxTest clicks too slowly to catch writes still queued).
 */
class DeskDataRootOrderTest {
    @TempDir
    Path dir;

    /** {@code inOrder} work waits until {@link #runWrites}; everything else runs at once on the caller's thread. */
    static final class HeldWrites implements UiExecutor {
        private final UiExecutor now = UiExecutor.synchronous();
        final Deque<Runnable> writes = new ArrayDeque<>();

        @Override
        public void onUi(Runnable r) {
            now.onUi(r);
        }

        @Override
        public <T> void background(Callable<T> work, Consumer<T> done, Consumer<Throwable> failed) {
            now.background(work, done, failed);
        }

        @Override
        public void inOrder(Runnable write) {
            writes.add(write);
        }

        void runWrites() {
            while (!writes.isEmpty()) {
                writes.poll().run();
            }
        }
    }

    @Test
    void aStartClickedBeforeTheTypedDataRootLandedUsesTheWholeTypedValue() {
        Path stored = dir.resolve("stored");
        String typed = dir.resolve("typed-root").toString();
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            catalog.putSetting(AppEngine.DATA_ROOT, stored.toString());
            HeldWrites ui = new HeldWrites();
            EngineConnection connection = new EngineConnection(EngineEndpoint.unix(dir.resolve("own/berth.sock")), ui, Duration.ofMillis(200));
            DaemonLauncher daemon = new DaemonLauncher(List.of("berth", "daemon"), true);
            List<List<String>> launched = new ArrayList<>();
            Launcher recording = new Launcher() {
                @Override
                public Optional<String> whyNot(EngineTarget target) {
                    return daemon.whyNot(target);
                }

                @Override
                public EngineProcess launch(EngineTarget target) {
                    launched.add(daemon.command(target));
                    return new EngineProcess() {
                        @Override public long pid() { return 4242; }
                        @Override public boolean isAlive() { return true; }
                        @Override public CompletableFuture<Integer> onExit() { return new CompletableFuture<>(); }
                        @Override public void stop() { }
                        @Override public Path log() { return dir.resolve("engine.log"); }
                    };
                }
            };
            EngineStatusModel model = AppEngine.statusModel(ui, connection, catalog, stored.toString(), recording);
            SettingsViewModel settings = new SettingsViewModel(new AppServices(ui, connection, catalog, model), t -> { });
            ui.runWrites(); // the stored settings shown
            assertEquals(stored.toString(), settings.dataRootProperty().get());

            for (int i = 1; i <= typed.length(); i++) {
                settings.dataRootProperty().set(typed.substring(0, i)); // one write per key, none landed yet
            }
            model.start();
            ui.runWrites();

            assertEquals(1, launched.size(), launched.toString());
            List<String> cmd = launched.get(0);
            int at = cmd.indexOf("--data-root");
            assertTrue(at >= 0, cmd.toString());
            assertEquals(typed, cmd.get(at + 1), "launched with the whole typed data root: " + cmd);
            assertEquals(Optional.of(typed), catalog.setting(AppEngine.DATA_ROOT));
        }
    }
}
