package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.cli.containers.UpdateOptions;
import dev.berth.engine.client.run.ConfigException;
import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth update}: docker's runUpdate. Each container's name is printed once updated, then the
 * engine's warnings, then the failures together (exit 1).
 */
public final class UpdateCommand extends BerthCommand {
    private final UpdateOptions o = new UpdateOptions();

    @Override
    public List<Opt> options() {
        return UpdateOptions.OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        o.flag(name, value);
    }

    @Override
    public int run() throws Exception {
        minArgs(1, args);
        ObjectNode body;
        try {
            body = o.body();
        } catch (ConfigException e) {
            if (e.isFlagValue()) {
                throw new UsageError(e.getMessage() + "\n\nUsage:  " + useLine() + "\n\nRun '" + path
                        + " --help' for more information", 125);
            }
            throw new UsageError(e.getMessage(), 1);
        }
        if (o.none()) {
            throw new UsageError("you must provide one or more flags when using this command", 1);
        }
        var containers = cli.client().containers();
        List<String> warnings = new ArrayList<>();
        List<String> errors = new ArrayList<>();
        for (String name : args) {
            try {
                warnings.addAll(containers.update(name, body));
                out().println(name);
            } catch (BerthException e) {
                errors.add(Containers.message(e));
            }
        }
        if (!warnings.isEmpty()) {
            out().println(String.join("\n", warnings));
        }
        if (!errors.isEmpty()) {
            throw new UsageError(String.join("\n", errors), 1);
        }
        return 0;
    }
}
