package dev.berth.desktop.tray;

import dev.berth.desktop.engine.EngineStatus;

import javax.imageio.ImageIO;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.InputStream;

/** The tray's icon: the app icon with a dot in the corner whose colour is the engine's status. */
public final class TrayIcons {
    private TrayIcons() {
    }

    public static Color colour(EngineStatus s) {
        return switch (s) {
            case RUNNING -> new Color(0x2da44e);
            case STARTING -> new Color(0xd4a72c);
            case STOPPED -> new Color(0x8c959f);
            case ERROR -> new Color(0xcf222e);
        };
    }

    /** A {@code size}×{@code size} icon; falls back to a plain square when the PNG is not on the class path. */
    public static BufferedImage icon(EngineStatus status, int size) {
        BufferedImage img = new BufferedImage(size, size, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BICUBIC);
        BufferedImage base = load(size <= 16 ? 16 : size <= 32 ? 32 : 64);
        if (base != null) {
            g.drawImage(base, 0, 0, size, size, null);
        } else {
            g.setColor(new Color(0x1f6feb));
            g.fillRoundRect(0, 0, size, size, size / 4, size / 4);
        }
        int d = Math.max(6, size * 7 / 16);
        g.setColor(Color.WHITE);
        g.fillOval(size - d - 1, size - d - 1, d + 1, d + 1);
        g.setColor(colour(status));
        g.fillOval(size - d, size - d, d - 1, d - 1);
        g.dispose();
        return img;
    }

    private static BufferedImage load(int size) {
        try (InputStream in = TrayIcons.class.getResourceAsStream("/icons/berth-" + size + ".png")) {
            return in == null ? null : ImageIO.read(in);
        } catch (IOException e) {
            return null;
        }
    }
}
