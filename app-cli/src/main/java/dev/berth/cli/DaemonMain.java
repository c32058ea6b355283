package dev.berth.cli;

import java.util.List;

/**
 * Entry point of {@code berth daemon} (bin/berth runs it when "daemon" is the first word): the same
 * flags, help and errors as through {@link Main}, without loading the CLI's command table and the
 * ~70 command classes its factory names, which would stay in the daemon's metaspace for its whole life.
 */
public final class DaemonMain {
    /** The daemon's row in the command table ({@link Commands#TOP} lists this same entry). */
    static final Commands.Entry ENTRY = new Commands.Entry("daemon", List.of(), "[OPTIONS]", "Run the Berth engine",
            "Daemon", List.of(), Commands.Section.OTHER, null);

    private DaemonMain() {
    }

    /** {@code args} is the whole command line, "daemon" first. */
    public static void main(String[] args) {
        if (args.length == 0 || !args[0].equals("daemon")) {
            Main.main(args);
            return;
        }
        // halt, not exit, as Main does: the daemon's shutdown hook has run by the time run returns.
        Runtime.getRuntime().halt(Main.runDaemon(args, Io.system()));
    }
}
