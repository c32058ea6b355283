package dev.berth.cli.commands;

import dev.berth.cli.Opt;

import java.util.List;

/** {@code berth container inspect}: the engine's JSON for each container, or a template over it. */
public final class ContainerInspectCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('f', "format", "string", Opt.FORMAT_INSPECT_HELP),
            Opt.bool('s', "size", "Display total file sizes"));

    String format;
    boolean size;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "format" -> format = value;
            case "size" -> size = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        minArgs(1, args);
        var containers = cli.client().containers();
        return Inspector.inspect(out(), args, format, name -> containers.inspectRaw(name, size), Inspector.ErrorWording.DAEMON);
    }
}
