package dev.berth.desktop;

import dev.berth.desktop.store.DesktopCatalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the window needs before it shows is read from a real catalog file in one go, by the thread that
 * opened it (the early-start thread), so the FX thread's start reads nothing.
 */
class DeskStartSettingsTest {
    @TempDir
    Path dir;

    @Test
    void aFreshCatalogGivesTheDefaults() {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"))) {
            StartSettings s = StartSettings.read(catalog);
            assertEquals("system", s.theme());
            assertNull(s.lastView());
            assertTrue(s.engineAutostart());
            assertNull(s.dataRoot());
        }
    }

    @Test
    void storedSettingsAreReadOnTheReadingThreadOnly() {
        Path file = dir.resolve("desktop.db");
        try (DesktopCatalog catalog = DesktopCatalog.open(file)) {
            catalog.putSetting("theme", "dark");
            catalog.putSetting(StartSettings.LAST_VIEW, "images");
            catalog.putSetting("engine.autostart", "false");
            catalog.putSetting("engine.dataRoot", "/srv/start-root");
        }
        try (DesktopCatalog catalog = DesktopCatalog.open(file)) {
            List<Thread> users = new ArrayList<>();
            catalog.watchAccess(users::add);
            StartSettings s = StartSettings.read(catalog);
            assertEquals(new StartSettings("dark", "images", false, "/srv/start-root"), s);
            assertFalse(users.isEmpty(), "the settings were not read from the catalog");
            assertTrue(users.stream().allMatch(t -> t == Thread.currentThread()), users.toString());
        }
    }
}
