package dev.berth.desktop.containers;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.engine.client.EngineEndpoint;

import java.nio.file.Path;
import java.time.Duration;

/** Services for view-model unit tests: synchronous executor, a connection to nowhere (never started). */
final class DeskFakes {
    private DeskFakes() {
    }

    static AppServices services() {
        return new AppServices(UiExecutor.synchronous(),
                new EngineConnection(EngineEndpoint.unix(Path.of("/nonexistent/desk.sock")), UiExecutor.synchronous(), Duration.ofSeconds(1)),
                null);
    }
}
