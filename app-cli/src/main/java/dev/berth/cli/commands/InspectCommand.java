package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.util.List;

/**
 * {@code berth inspect}: docker's object-agnostic inspect. Without {@code --type} a name is looked
 * up as a container, then an image, then a volume, then a network (docker's order), and a miss is
 * worded as docker does for an object of no known type.
 */
public final class InspectCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('f', "format", "string", Opt.FORMAT_INSPECT_HELP),
            Opt.bool('s', "size", "Display total file sizes if the type is container"),
            Opt.value("type", "string", "Only inspect objects of the given type"));

    String format;
    String type;
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
            case "type" -> type = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        minArgs(1, args);
        String t = type == null ? "" : type;
        if (!List.of("", "container", "image", "volume", "network").contains(t)) {
            throw BerthException.invalid("\"" + type + "\" is not a valid value for --type");
        }
        var client = cli.client();
        List<Inspector.Getter> getters = new java.util.ArrayList<>();
        if (t.isEmpty() || t.equals("container")) {
            getters.add(name -> client.containers().inspectRaw(name, size));
        }
        if (t.isEmpty() || t.equals("image")) {
            getters.add(client::inspectImageRaw);
        }
        if (t.isEmpty() || t.equals("volume")) {
            getters.add(name -> client.volumes().inspectRaw(name));
        }
        if (t.isEmpty() || t.equals("network")) {
            getters.add(name -> client.networks().inspectRaw(name, false));
        }
        Inspector.Getter any = name -> {
            BerthException missing = null;
            for (Inspector.Getter g : getters) {
                try {
                    return g.get(name);
                } catch (BerthException e) {
                    // an endpoint the engine lacks (404 or 501) counts as "not this kind of object"
                    if (e.category() != ErrorCategory.NOT_FOUND && e.category() != ErrorCategory.NOT_IMPLEMENTED
                            && !(e instanceof dev.berth.engine.client.EngineApiException api && api.statusCode() == 405)) {
                        throw e;
                    }
                    missing = e;
                }
            }
            throw missing;
        };
        return Inspector.inspect(out(), args, format, any, (name, e) ->
                e.category() == ErrorCategory.NOT_FOUND || e.category() == ErrorCategory.NOT_IMPLEMENTED
                        ? "Error: No such object: " + name : Inspector.ErrorWording.DAEMON.word(name, e));
    }
}
