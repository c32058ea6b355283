package dev.berth.cli.commands;

import dev.berth.cli.Opt;

import java.util.List;

/** {@code berth tag SOURCE TARGET}. */
public final class TagCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of();

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        throw new IllegalArgumentException(name); // takes no flags: the parser rejects any first
    }

    @Override
    public int run() {
        exactArgs(2, args);
        cli.client().tagImage(args.get(0), args.get(1));
        return 0;
    }
}
