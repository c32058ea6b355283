package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.engine.client.model.ContainerWaitResponse;
import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;

/** {@code berth wait}: blocks until each container stops, printing its exit code. */
public final class WaitCommand extends BerthCommand {
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
        minArgs(1, args);
        var containers = cli.client().containers();
        List<String> errors = new ArrayList<>();
        for (String name : args) {
            try {
                ContainerWaitResponse r = containers.waitFor(name, "not-running");
                if (!r.errorMessage().isEmpty()) {
                    errors.add(r.errorMessage());
                    continue;
                }
                out().println(r.statusCode());
                out().flush();
            } catch (BerthException e) {
                errors.add(Containers.message(e));
            }
        }
        if (!errors.isEmpty()) {
            throw new UsageError(String.join("\n", errors), 1);
        }
        return 0;
    }
}
