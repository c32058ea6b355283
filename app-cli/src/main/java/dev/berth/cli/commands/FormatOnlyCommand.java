package dev.berth.cli.commands;

import dev.berth.cli.Opt;

import java.util.List;

/** A command whose only option is docker's {@code -f/--format} Go template (inspect, info, version). */
abstract class FormatOnlyCommand extends BerthCommand {
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
}
