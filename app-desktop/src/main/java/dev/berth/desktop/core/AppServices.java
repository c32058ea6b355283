package dev.berth.desktop.core;

import dev.berth.desktop.engine.EngineStatusModel;
import dev.berth.desktop.store.DesktopCatalog;

/**
 * What every view and view-model is given: the UI executor, the engine connection, the app's catalog
 * and the engine's status with its start/stop actions (null where nothing may start an engine, as in
 * most tests).
 */
public record AppServices(UiExecutor ui, EngineConnection engine, DesktopCatalog catalog, EngineStatusModel engineStatus) {
    public AppServices(UiExecutor ui, EngineConnection engine, DesktopCatalog catalog) {
        this(ui, engine, catalog, null);
    }
}
