package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.engine.client.Filters;

import java.util.ArrayList;
import java.util.List;

/** {@code berth container prune}: removes stopped containers after asking. */
public final class ContainerPruneCommand extends BerthCommand {
    final List<String> filters = new ArrayList<>();
    boolean force;

    @Override
    public List<Opt> options() {
        return List.of(Opt.value("filter", "filter", "Provide filter values (e.g. \"until=<timestamp>\")"),
                Opt.bool('f', "force", "Do not prompt for confirmation"));
    }

    @Override
    public void flag(String n, String value) {
        switch (n) {
            case "filter" -> filters.add(value);
            case "force" -> force = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(n);
        }
    }

    @Override
    public int run() throws Exception {
        noArgs(args);
        if (!force && !confirm("WARNING! This will remove all stopped containers.\nAre you sure you want to continue?")) {
            return 0;
        }
        VolumeCommands.printPruned(this, "Deleted Containers:", cli.client().containers().prune(Filters.parse(filters)), true);
        return 0;
    }
}
