package dev.berth.desktop.containers;

import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.core.EngineConnection;
import dev.berth.desktop.core.UiExecutor;
import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.desktop.tray.TrayController;
import dev.berth.desktop.ui.SettingsViewModel;
import dev.berth.engine.client.EngineEndpoint;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The containers view and Settings change the same tray favourites: each shows the other's change,
 * and neither writes back a list that lacks it (Settings kept its own copy and wrote it whole).
 */
class DeskFavouritesBothViewsTest {
    @TempDir
    Path dir;

    @Test
    void aFavouriteMarkedInTheContainersViewShowsInSettingsAndSurvivesSettingsUntickingAnother() {
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("d.db"))) {
            catalog.putSetting(TrayController.FAVOURITES, "db");
            UiExecutor ui = UiExecutor.synchronous();
            EngineConnection engine = new EngineConnection(EngineEndpoint.unix(dir.resolve("none.sock")), ui, Duration.ofSeconds(1));
            AppServices services = new AppServices(ui, engine, catalog);
            SettingsViewModel settings = new SettingsViewModel(services, t -> { });
            ContainersViewModel containers = new ContainersViewModel(services);
            assertEquals(List.of("db"), List.copyOf(settings.favourites()));

            containers.setFavourite(List.of("web"), true);
            assertEquals(List.of("db", "web"), List.copyOf(settings.favourites()), "Settings shows the containers view's change");
            settings.setFavourite("db", false);
            assertEquals(Optional.of("web"), catalog.setting(TrayController.FAVOURITES), "web is kept");
            assertEquals(List.of("web"), List.copyOf(containers.favourites().names()), "the containers view shows Settings' change");
        }
    }
}
