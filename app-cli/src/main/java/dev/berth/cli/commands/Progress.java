package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.progress.ProgressPrinter;
import dev.berth.engine.client.MessageStream;
import dev.berth.engine.client.model.JsonMessage;

import java.io.OutputStream;
import java.io.PrintStream;

/** Shows a progress stream on stdout, or drains it silently for {@code --quiet}. */
final class Progress {
    private Progress() {
    }

    static void show(Cli cli, MessageStream<JsonMessage> stream, boolean quiet) {
        try (stream) {
            if (quiet) {
                new ProgressPrinter(new PrintStream(OutputStream.nullOutputStream()), false, 0, cli.io().clock())
                        .display(stream, null);
                return;
            }
            boolean terminal = cli.io().stdoutIsTerminal().getAsBoolean();
            int width = terminal ? cli.io().width().getAsInt() : 200;
            new ProgressPrinter(cli.io().out(), terminal, width, cli.io().clock()).display(stream, null);
        }
    }
}
