package dev.berth.cli.commands;

import dev.berth.cli.Opt;

import java.util.List;

/** {@code berth kill}: a signal (SIGKILL by default) to each container. */
public final class KillCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(Opt.value('s', "signal", "string", "Signal to send to the container"));

    String signal;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        if (!name.equals("signal")) {
            throw new IllegalArgumentException(name);
        }
        signal = value;
    }

    @Override
    public int run() throws Exception {
        minArgs(1, args);
        var containers = cli.client().containers();
        return Containers.forEach(cli, args, name -> containers.kill(name, signal));
    }
}
