package dev.berth.desktop.store;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeskCatalogTest {
    @TempDir
    Path dir;

    @Test
    void migratesOnceInWalModeAndKeepsDataAcrossReopen() throws Exception {
        Path file = dir.resolve("sub/desktop.db");
        try (DesktopCatalog c = DesktopCatalog.open(file)) {
            assertEquals(DesktopCatalog.MIGRATIONS.size(), c.schemaVersion());
            c.putSetting("theme", "dark");
            c.putSetting("theme", "light");
            c.saveConnection(new DesktopCatalog.SavedConnection("local", "unix:///run/berth/berth.sock", true));
            c.saveConnection(new DesktopCatalog.SavedConnection("remote", "tcp://10.0.0.1:2375", true));
            c.saveLastKnown("containers", "[]");
            c.addActivity(new DesktopCatalog.Activity(1, "container", "start", "web", ""));
            c.addActivity(new DesktopCatalog.Activity(2, "container", "stop", "web", ""));
        }
        try (DesktopCatalog c = DesktopCatalog.open(file)) {
            assertEquals(DesktopCatalog.MIGRATIONS.size(), c.schemaVersion());
            assertEquals("light", c.setting("theme").orElseThrow());
            // Only one default connection at a time.
            assertEquals(List.of(new DesktopCatalog.SavedConnection("local", "unix:///run/berth/berth.sock", false),
                    new DesktopCatalog.SavedConnection("remote", "tcp://10.0.0.1:2375", true)), c.connections());
            assertEquals("[]", c.lastKnown("containers").orElseThrow());
            assertEquals("stop", c.recentActivity(10).get(0).action());
        }
        try (var conn = DriverManager.getConnection("jdbc:sqlite:" + file);
             ResultSet rs = conn.createStatement().executeQuery("PRAGMA journal_mode")) {
            assertEquals("wal", rs.getString(1));
        }
    }

    @Test
    void statsHistoryReturnsNewestSamplesOldestFirstAndPrunes() {
        try (DesktopCatalog c = DesktopCatalog.open(dir.resolve("d.db"))) {
            StatsHistoryStore store = c;
            for (int i = 0; i < 10; i++) {
                store.addSample(new StatsHistoryStore.StatsSample("abc", 1000L * i, i, i * 10L, 100, 0, 0, 0, 0));
            }
            store.addSample(new StatsHistoryStore.StatsSample("other", 5, 1, 1, 1, 0, 0, 0, 0));
            List<StatsHistoryStore.StatsSample> last = store.samples("abc", 3);
            assertEquals(List.of(7000L, 8000L, 9000L), last.stream().map(StatsHistoryStore.StatsSample::timeMillis).toList());
            assertEquals(6, store.pruneBefore(5000));
            assertEquals(5, store.samples("abc", 100).size());
            assertTrue(store.samples("other", 10).isEmpty(), "pruned by time, whatever the container");
        }
    }

    @Test
    void defaultFileFollowsXdgDataHome() {
        assertEquals(Path.of("/x/berth-desktop/desktop.db"), DesktopCatalog.defaultFile(Map.of("XDG_DATA_HOME", "/x")));
    }
}
