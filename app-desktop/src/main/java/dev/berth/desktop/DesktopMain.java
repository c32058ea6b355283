package dev.berth.desktop;

/** Placeholder entry point: the JavaFX app arrives with the desktop issue. */
public final class DesktopMain {
    public static void main(String[] args) {
        System.out.println("Berth desktop: the JavaFX app is not built yet (see the desktop issue).");
    }
}
