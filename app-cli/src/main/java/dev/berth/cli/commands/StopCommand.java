package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;

import java.util.List;

/** {@code berth stop} and {@code berth restart}: the signal, a grace period, then SIGKILL; names printed as done. */
public final class StopCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('s', "signal", "string", "Signal to send to the container"),
            Opt.value('t', "timeout", "int", "Seconds to wait before killing the container"));

    private final boolean restart;
    String signal;
    Integer timeout;

    public StopCommand(boolean restart) {
        this.restart = restart;
    }

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "signal" -> signal = value;
            case "timeout" -> {
                try {
                    timeout = Integer.parseInt(value.strip());
                } catch (NumberFormatException e) {
                    throw new UsageError("invalid argument \"" + value + "\" for \"-t, --timeout\" flag: strconv.ParseInt: parsing \""
                            + value + "\": invalid syntax\n\nUsage:  " + useLine() + "\n\nRun '" + path
                            + " --help' for more information", 125);
                }
            }
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws Exception {
        minArgs(1, args);
        var containers = cli.client().containers();
        return Containers.forEach(cli, args, name -> {
            if (restart) {
                containers.restart(name, timeout, signal);
            } else {
                containers.stop(name, timeout, signal);
            }
        });
    }
}
