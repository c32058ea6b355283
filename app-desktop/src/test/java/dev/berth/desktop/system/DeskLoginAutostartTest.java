package dev.berth.desktop.system;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DeskLoginAutostartTest {
    @Test
    void writesAndRemovesTheXdgAutostartEntry(@TempDir Path configHome) throws Exception {
        LoginAutostart entry = LoginAutostart.forEnvironment(Map.of("XDG_CONFIG_HOME", configHome.toString(), "HOME", "/nonexistent"));
        Path file = configHome.resolve("autostart/berth-desktop.desktop");
        assertEquals(file, entry.file());
        assertFalse(entry.isEnabled());

        entry.enable("/opt/berth/bin/berth-desktop", Path.of("/opt/berth/icons/berth-256.png"));
        assertTrue(entry.isEnabled());
        List<String> lines = Files.readAllLines(file);
        assertEquals("[Desktop Entry]", lines.get(0));
        assertTrue(lines.contains("Type=Application"), lines.toString());
        assertTrue(lines.contains("Exec=/opt/berth/bin/berth-desktop"), lines.toString());
        assertTrue(lines.contains("Icon=/opt/berth/icons/berth-256.png"), lines.toString());
        assertEquals(List.of(file), listing(file.getParent()), "no temporary file left beside it");

        // replaced in place, again without leftovers
        entry.enable("/home/me/my apps/berth-desktop", null);
        assertTrue(Files.readAllLines(file).contains("Exec=\"/home/me/my apps/berth-desktop\""));
        assertFalse(Files.readString(file).contains("Icon="));
        assertEquals(List.of(file), listing(file.getParent()));

        entry.disable();
        assertFalse(entry.isEnabled());
        assertFalse(Files.exists(file));
        entry.disable(); // nothing left to remove is fine
    }

    @Test
    void fallsBackToHomeDotConfig() {
        assertEquals(Path.of("/home/me/.config/autostart/berth-desktop.desktop"),
                LoginAutostart.forEnvironment(Map.of("HOME", "/home/me")).file());
        // a relative XDG_CONFIG_HOME is invalid per the spec and ignored
        assertEquals(Path.of("/home/me/.config/autostart/berth-desktop.desktop"),
                LoginAutostart.forEnvironment(Map.of("HOME", "/home/me", "XDG_CONFIG_HOME", "rel/config")).file());
    }

    @Test
    void quotesExecArgumentsAsTheDesktopEntrySpecSays() {
        assertEquals("/usr/bin/berth-desktop", LoginAutostart.quote("/usr/bin/berth-desktop"));
        assertEquals("\"/a b/c\"", LoginAutostart.quote("/a b/c"));
        assertEquals("\"/a\\$b\\\"c\"", LoginAutostart.quote("/a$b\"c"));
        assertEquals("\"/a\\\\\\\\b\"", LoginAutostart.quote("/a\\b"));
        assertEquals("\"/100%%\"", LoginAutostart.quote("/100%"));
    }

    private static List<Path> listing(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.sorted().toList();
        }
    }
}
