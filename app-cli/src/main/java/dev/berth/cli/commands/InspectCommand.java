package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.util.List;

/**
 * {@code berth inspect}: docker's object-agnostic inspect. Only images exist so far, so it looks up
 * images, and words a miss as docker does for an object of no known type.
 */
public final class InspectCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('f', "format", "string", Opt.FORMAT_INSPECT_HELP),
            Opt.bool('s', "size", "Display total file sizes if the type is container"),
            Opt.value("type", "string", "Only inspect objects of the given type"));

    String format;
    String type;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "format" -> format = value;
            case "size" -> { }
            case "type" -> type = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        minArgs(1, args);
        if (type != null && !type.isEmpty() && !type.equals("image")) {
            throw BerthException.invalid("\"" + type + "\" is not a valid value for --type (berth can inspect: image)");
        }
        return Inspector.inspect(out(), args, format, name -> cli.client().inspectImageRaw(name), (name, e) ->
                e.category() == ErrorCategory.NOT_FOUND ? "Error: No such object: " + name
                        : Inspector.ErrorWording.DAEMON.word(name, e));
    }
}
