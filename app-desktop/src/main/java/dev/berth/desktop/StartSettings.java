package dev.berth.desktop;

import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.ui.SettingsViewModel;

/**
 * The settings the window needs before it shows: the theme, the view open last, whether to start
 * Berth's engine and its data root. Read with the catalog on the early-start thread, so the FX thread's start does not
 * wait on the database (a read can wait seconds behind a writer).
 */
record StartSettings(String theme, String lastView, boolean engineAutostart, String dataRoot) {
    /** The catalog setting holding the id of the view open last, where the next start opens. */
    static final String LAST_VIEW = "window.view";

    static StartSettings read(DesktopCatalog catalog) {
        return new StartSettings(catalog.setting(SettingsViewModel.THEME).orElse("system"), catalog.setting(LAST_VIEW).orElse(null),
                !"false".equals(catalog.setting(SettingsViewModel.ENGINE_AUTOSTART).orElse("true")),
                catalog.setting(dev.berth.desktop.engine.AppEngine.DATA_ROOT).orElse(null));
    }
}
