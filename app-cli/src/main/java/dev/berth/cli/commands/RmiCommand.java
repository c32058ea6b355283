package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.engine.client.EngineApiException;
import dev.berth.engine.client.model.ImageDeleteResponseItem;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth rmi} / {@code berth image rm}: removes each image in turn, printing what was untagged
 * and deleted. As in docker, {@code -f} turns "no such image" into a warning, but not other errors.
 */
public final class RmiCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool('f', "force", "Force removal of the image"),
            Opt.bool("no-prune", "Do not delete untagged parents"));

    boolean force;
    boolean noPrune;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "force" -> force = Boolean.parseBoolean(value);
            case "no-prune" -> noPrune = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        minArgs(1, args);
        List<String> errors = new ArrayList<>();
        boolean fatal = false;
        for (String image : args) {
            try {
                for (ImageDeleteResponseItem item : cli.client().removeImage(image, force, noPrune)) {
                    if (item.deleted() != null && !item.deleted().isEmpty()) {
                        out().println("Deleted: " + item.deleted());
                    } else {
                        out().println("Untagged: " + item.untagged());
                    }
                }
            } catch (BerthException e) {
                if (e.category() != ErrorCategory.NOT_FOUND) {
                    fatal = true;
                }
                errors.add(e instanceof EngineApiException api && !api.fromStream()
                        ? "Error response from daemon: " + e.getMessage() : e.getMessage());
            }
        }
        if (!errors.isEmpty()) {
            if (!force || fatal) {
                throw new UsageError(String.join("\n", errors), 1);
            }
            out().flush();
            err().println(String.join("\n", errors));
        }
        return 0;
    }
}
