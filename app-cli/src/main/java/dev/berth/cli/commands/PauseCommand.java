package dev.berth.cli.commands;

import dev.berth.cli.Opt;

import java.util.List;

/** {@code berth pause} and {@code berth unpause}. */
public final class PauseCommand extends BerthCommand {
    private final boolean pause;

    public PauseCommand(boolean pause) {
        this.pause = pause;
    }

    @Override
    public List<Opt> options() {
        return List.of();
    }

    @Override
    public void flag(String name, String value) {
        throw new IllegalArgumentException(name);
    }

    @Override
    public int run() throws Exception {
        minArgs(1, args);
        var containers = cli.client().containers();
        return Containers.forEach(cli, args, name -> {
            if (pause) {
                containers.pause(name);
            } else {
                containers.unpause(name);
            }
        });
    }
}
