package dev.berth.desktop;

import javafx.application.Application;

/**
 * Entry point: {@code berth-desktop [--host unix:///path.sock|tcp://host:port]}. Not an
 * {@link Application} itself, so JavaFX can be on the class path rather than the module path.
 */
public final class DesktopMain {
    private DesktopMain() {
    }

    public static void main(String[] args) {
        StartupProbe.mark("main");
        String host = null;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--host") || a.equals("-H")) {
                if (i + 1 >= args.length) {
                    System.err.println("berth-desktop: --host needs a value, such as unix:///run/berth/berth.sock");
                    System.exit(2);
                }
                host = args[++i];
            } else if (a.startsWith("--host=")) {
                host = a.substring("--host=".length());
            } else if (a.equals("--help") || a.equals("-h")) {
                System.out.println("Usage: berth-desktop [--host unix:///path.sock|tcp://host:port]");
                return;
            } else {
                System.err.println("berth-desktop: unknown argument " + a);
                System.exit(2);
            }
        }
        BerthApp.explicitHost = host;
        EarlyStart.begin(host);
        Application.launch(BerthApp.class);
    }
}
