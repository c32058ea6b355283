package dev.berth.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the {@code berth} CLI. */
@Command(name = "berth", mixinStandardHelpOptions = true, version = "berth 0.1.0",
        description = "Berth: a fast, open container engine and docker-compatible CLI.")
public final class Main implements Runnable {
    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }
}
