package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;

import java.util.List;

/** {@code berth rename CONTAINER NEW_NAME}. */
public final class RenameCommand extends BerthCommand {
    @Override
    public List<Opt> options() {
        return List.of();
    }

    @Override
    public void flag(String name, String value) {
        throw new IllegalArgumentException(name);
    }

    @Override
    public int run() {
        exactArgs(2, args);
        String oldName = args.get(0).strip();
        String newName = args.get(1).strip();
        if (oldName.isEmpty() || newName.isEmpty()) {
            throw new UsageError("Error: neither old nor new names may be empty", 1);
        }
        cli.client().containers().rename(oldName, newName);
        return 0;
    }
}
