package dev.berth.desktop.core;

import dev.berth.desktop.store.DesktopCatalog;

/** What every view and view-model is given: the UI executor, the engine connection and the app's catalog. */
public record AppServices(UiExecutor ui, EngineConnection engine, DesktopCatalog catalog) {
}
