package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.engine.client.EngineApiException;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.util.ArrayList;
import java.util.List;

/** {@code berth rm}: removes containers; {@code -f} kills running ones and ignores missing ones, {@code -v} takes anonymous volumes. */
public final class RmCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool('f', "force", "Force the removal of a running container (uses SIGKILL)"),
            Opt.bool('l', "link", "Remove the specified link"),
            Opt.bool('v', "volumes", "Remove anonymous volumes associated with the container"));

    boolean force;
    boolean link;
    boolean volumes;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        boolean on = Boolean.parseBoolean(value);
        switch (name) {
            case "force" -> force = on;
            case "link" -> link = on;
            case "volumes" -> volumes = on;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        minArgs(1, args);
        var containers = cli.client().containers();
        List<String> errors = new ArrayList<>();
        for (String name : args) {
            String trimmed = name.startsWith("/") ? name.substring(1) : name;
            if (trimmed.isEmpty()) {
                errors.add("Error: container name cannot be empty");
                continue;
            }
            try {
                containers.remove(trimmed, force, volumes, link);
                out().println(name);
            } catch (BerthException e) {
                // docker rm -f is quiet about containers that do not exist
                if (force && e instanceof EngineApiException && e.category() == ErrorCategory.NOT_FOUND) {
                    continue;
                }
                errors.add(Containers.message(e));
            }
        }
        if (!errors.isEmpty()) {
            throw new UsageError(String.join("\n", errors), 1);
        }
        return 0;
    }
}
