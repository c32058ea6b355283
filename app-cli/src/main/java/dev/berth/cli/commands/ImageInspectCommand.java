package dev.berth.cli.commands;

import dev.berth.cli.Opt;

import java.util.List;

/** {@code berth image inspect}: the engine's JSON for images, as docker prints it. */
public final class ImageInspectCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(Opt.value('f', "format", "string", Opt.FORMAT_INSPECT_HELP));

    String format;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "format" -> format = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        minArgs(1, args);
        return Inspector.inspect(out(), args, format, name -> cli.client().inspectImageRaw(name), Inspector.ErrorWording.DAEMON);
    }
}
