package dev.berth.desktop;

import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.FxUiExecutor;
import dev.berth.desktop.engine.ConnectionsModel;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.engine.client.EngineTls;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/**
 * What the app needs before its window and that needs no JavaFX: the catalog (SQLite, with its native
 * library) and the engine connection (the HTTP client, a first ping). Begun in {@code main} on a thread
 * of its own, so it runs while the JavaFX toolkit starts on another core rather than after it.
 */
final class EarlyStart {
    /** The catalog and the (not yet started) connection, with the executor it answers through. */
    record Opened(DesktopCatalog catalog, StartSettings settings, FxUiExecutor ui, EngineConnection engine) {
    }

    private static volatile CompletableFuture<Opened> pending;

    private EarlyStart() {
    }

    /** Starts opening, for {@code explicitHost} (--host, null for the catalog's or the environment's). */
    static void begin(String explicitHost) {
        CompletableFuture<Opened> f = new CompletableFuture<>();
        pending = f;
        Thread.ofPlatform().daemon().name("berth-desktop-early").start(() -> {
            Opened o;
            try {
                o = open(explicitHost);
            } catch (Throwable t) {
                f.completeExceptionally(t);
                return;
            }
            f.complete(o);
            warm(o.engine());
        });
    }

    /** What {@link #begin} opened, waiting for it; opens here when nothing was begun (as in a test). */
    static Opened take(String explicitHost) {
        CompletableFuture<Opened> f = pending;
        pending = null;
        if (f == null) {
            return open(explicitHost);
        }
        try {
            return f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }

    private static Opened open(String explicitHost) {
        StartupProbe.mark("early-start");
        DesktopCatalog catalog = DesktopCatalog.openDefault();
        StartSettings settings = StartSettings.read(catalog);
        StartupProbe.mark("catalog");
        // --host wins, then the connection made active in Settings, then BERTH_HOST/DOCKER_HOST, then the default socket.
        String host = explicitHost != null ? explicitHost : ConnectionsModel.activeHost(catalog).orElse(null);
        EngineTls tls = explicitHost != null ? null : ConnectionsModel.activeTls(catalog).orElse(null);
        FxUiExecutor ui = new FxUiExecutor();
        EngineConnection engine = new EngineConnection(EngineEndpoint.resolve(host, System.getenv()), tls, ui, Duration.ofSeconds(2));
        StartupProbe.mark("engine-client");
        return new Opened(catalog, settings, ui, engine);
    }

    /**
     * Loads and links the HTTP stack and opens a connection while the toolkit starts, after the window
     * has what it waits for (an engine slow to answer must not hold it up). The connection's own loop
     * pings again once the UI can hear the answer; an engine not there yet is that loop's business.
     */
    private static void warm(EngineConnection engine) {
        try {
            engine.client().ping();
        } catch (Exception notYet) {
            // reported by the connection's loop
        }
        StartupProbe.mark("engine-warm");
    }
}
