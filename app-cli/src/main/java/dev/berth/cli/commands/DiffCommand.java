package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.engine.client.model.FilesystemChange;

import java.util.List;

/** {@code berth diff}: the container's changes against its image, one {@code C|A|D path} per line. */
public final class DiffCommand extends BerthCommand {
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
        exactArgs(1, args);
        for (FilesystemChange c : cli.client().containers().changes(args.getFirst())) {
            out().println(c.letter() + " " + c.path());
        }
        return 0;
    }
}
