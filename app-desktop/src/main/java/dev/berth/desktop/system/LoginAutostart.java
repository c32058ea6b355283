package dev.berth.desktop.system;

import dev.berth.images.store.AtomicFile;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * "Start at login" as the XDG autostart spec has it: {@code $XDG_CONFIG_HOME/autostart/berth-desktop.desktop}
 * ({@code ~/.config} when unset). The entry is written to a temporary file beside it and renamed into
 * place, so a session starting meanwhile sees the old entry or the new one, never half of one.
 */
public final class LoginAutostart {
    public static final String FILE_NAME = "berth-desktop.desktop";

    private final Path file;

    public LoginAutostart(Path configHome) {
        this.file = configHome.resolve("autostart").resolve(FILE_NAME);
    }

    /**
     * The user's entry: {@code XDG_CONFIG_HOME} (a relative one is invalid per the spec and ignored),
     * else {@code HOME/.config}.
     */
    public static LoginAutostart forEnvironment(Map<String, String> env) {
        String xdg = env.getOrDefault("XDG_CONFIG_HOME", "");
        if (!xdg.isBlank() && Path.of(xdg).isAbsolute()) {
            return new LoginAutostart(Path.of(xdg));
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return new LoginAutostart(Path.of(home, ".config"));
    }

    /** The user's entry, for the running app ({@code -Dberth.xdgConfigHome} stands in for the variable, for tests). */
    public static LoginAutostart forUser() {
        String override = System.getProperty("berth.xdgConfigHome");
        if (override != null && !override.isBlank()) {
            return new LoginAutostart(Path.of(override));
        }
        return forEnvironment(System.getenv());
    }

    public Path file() {
        return file;
    }

    public boolean isEnabled() {
        return Files.isRegularFile(file);
    }

    /** Writes (or replaces) the entry so that the session starts {@code command} (the app's launcher) at login. */
    public void enable(String command, Path icon) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        StringBuilder entry = new StringBuilder()
                .append("[Desktop Entry]\n")
                .append("Type=Application\n")
                .append("Name=Berth Desktop\n")
                .append("Comment=Containers, images, volumes and networks of the Berth engine\n")
                .append("Exec=").append(quote(command)).append('\n');
        if (icon != null) {
            entry.append("Icon=").append(icon).append('\n');
        }
        entry.append("Terminal=false\n")
                .append("X-GNOME-Autostart-enabled=true\n");
        AtomicFile.write(file, entry.toString().getBytes(StandardCharsets.UTF_8));
    }

    /** Removes the entry (a single unlink: atomic); nothing to do when there is none. */
    public void disable() throws IOException {
        Files.deleteIfExists(file);
    }

    /**
     * The launcher from {@code berth.home} ({@code bin/berth-desktop}, set by that script), else the
     * command on PATH.
     */
    public static String launcher() {
        String home = System.getProperty("berth.home");
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home, "bin", "berth-desktop").toAbsolutePath();
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return "berth-desktop";
    }

    /** The icon in {@code berth.home}, or null. */
    public static Path icon() {
        String home = System.getProperty("berth.home");
        if (home != null && !home.isBlank()) {
            Path p = Path.of(home, "icons", "berth-256.png").toAbsolutePath();
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    /**
     * Quoted as the Desktop Entry spec's Exec key wants it when it holds a reserved character: in
     * double quotes, with {@code " ` $ \} escaped by a backslash (and the backslash doubled again,
     * as the key is a string value too).
     */
    static String quote(String arg) {
        if (!arg.matches(".*[\\s\"'\\\\><~|&;$*?#()`=%].*")) {
            return arg;
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : arg.toCharArray()) {
            switch (c) {
                case '"', '`', '$' -> b.append("\\").append(c);
                case '\\' -> b.append("\\\\\\\\");
                case '%' -> b.append("%%");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }
}
