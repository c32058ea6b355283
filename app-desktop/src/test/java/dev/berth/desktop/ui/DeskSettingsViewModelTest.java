package dev.berth.desktop.ui;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.tray.TrayController;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Settings view model with the synchronous executor: stored values shown, changes written, loading applies no theme. */
class DeskSettingsViewModelTest {
    @TempDir
    Path dir;

    @Test
    void showsTheStoredSettingsAndWritesWhatIsChanged() {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            catalog.putSetting("theme", "dark");
            catalog.putSetting("engine.autostart", "false");
            catalog.putSetting("engine.dataRoot", "/srv/berth");
            catalog.putSetting(Notifier.ENABLED, "false");
            catalog.putSetting(TrayController.FAVOURITES, "web, db");
            List<Theme> applied = new ArrayList<>();
            SettingsViewModel vm = new SettingsViewModel(new AppServices(UiExecutor.synchronous(), null, catalog), applied::add);

            assertTrue(vm.loadedProperty().get());
            assertEquals(Theme.DARK, vm.themeProperty().get());
            assertFalse(vm.engineAutostartProperty().get());
            assertEquals("/srv/berth", vm.dataRootProperty().get());
            assertFalse(vm.notificationsProperty().get());
            assertEquals(List.of("db", "web"), List.copyOf(vm.favourites()));
            assertEquals(List.of("db", "web"), vm.favouriteChoices(), "a favourite is listed even with no container to show");
            assertEquals(List.of(), applied, "reading the stored theme does not restyle the app");

            vm.themeProperty().set(Theme.LIGHT);
            vm.notificationsProperty().set(true);
            vm.dataRootProperty().set("  /data  ");
            vm.setFavourite("web", false);
            vm.setFavourite("cache", true);
            assertEquals(List.of(Theme.LIGHT), applied);
            assertEquals(Optional.of("light"), catalog.setting("theme"));
            assertEquals(Optional.of("true"), catalog.setting(Notifier.ENABLED));
            assertEquals(Optional.of("/data"), catalog.setting("engine.dataRoot"));
            assertEquals(Optional.of("cache,db"), catalog.setting(TrayController.FAVOURITES), "sorted");
        }
    }

    @Test
    void withNothingStoredNotificationsAreOnAndThereAreNoFavourites() {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("e.db"))) {
            SettingsViewModel vm = new SettingsViewModel(new AppServices(UiExecutor.synchronous(), null, catalog), t -> { });
            assertTrue(vm.notificationsProperty().get());
            assertTrue(vm.engineAutostartProperty().get());
            assertEquals(Theme.SYSTEM, vm.themeProperty().get());
            assertTrue(vm.favourites().isEmpty());
            assertEquals(Optional.empty(), catalog.setting(Notifier.ENABLED), "loading writes nothing back");
        }
    }
}
