package dev.berth.desktop.engine;

import dev.berth.engine.testing.ChildDaemon;

/**
 * Stands in for {@code bin/berth} in tests: {@code daemon -H unix://SOCK --data-root DIR} runs the
 * real engine (as {@link ChildDaemon} does), without needing app-cli's jar to be built first.
 */
public final class FakeBerthCli {
    private FakeBerthCli() {
    }

    public static void main(String[] args) throws Exception {
        String socket = null;
        String dataRoot = null;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "daemon" -> { }
                case "-H" -> socket = args[++i].replaceFirst("^unix://", "");
                case "--data-root" -> dataRoot = args[++i];
                default -> throw new IllegalArgumentException("unexpected argument " + args[i]);
            }
        }
        ChildDaemon.main(new String[] {socket, dataRoot});
    }
}
