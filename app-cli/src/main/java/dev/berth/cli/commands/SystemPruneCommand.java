package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.engine.client.Filters;
import dev.berth.engine.client.model.ImagePruneReport;
import dev.berth.engine.client.model.PruneReport;
import dev.berth.engine.format.Units;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth system prune}: docker's order (containers, networks, volumes with {@code --volumes},
 * images, build cache), each part's list as its own prune prints it, then one total.
 */
public final class SystemPruneCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool('a', "all", "Remove all unused images not just dangling ones"),
            Opt.value("filter", "filter", "Provide filter values (e.g. \"label=<key>=<value>\")"),
            Opt.bool('f', "force", "Do not prompt for confirmation"),
            Opt.bool("volumes", "Prune anonymous volumes"));

    boolean all;
    final List<String> filters = new ArrayList<>();
    boolean force;
    boolean volumes;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "all" -> all = Boolean.parseBoolean(value);
            case "filter" -> filters.add(value);
            case "force" -> force = Boolean.parseBoolean(value);
            case "volumes" -> volumes = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws Exception {
        noArgs(args);
        if (volumes && filters.stream().anyMatch(f -> f.startsWith("until="))) {
            throw new dev.berth.cli.UsageError("ERROR: The \"until\" filter is not supported with \"--volumes\"", 1);
        }
        if (!force && !confirm(confirmation())) {
            return 0; // as image prune: a "no" cancels quietly
        }
        long reclaimed = 0;
        PruneReport containers = cli.client().containers().prune(Filters.parse(filters));
        reclaimed += containers.spaceReclaimed();
        VolumeCommands.printPruned(this, "Deleted Containers:", containers, false);
        VolumeCommands.printPruned(this, "Deleted Networks:", cli.client().networks().prune(Filters.parse(filters)), false);
        if (volumes) {
            PruneReport v = cli.client().volumes().prune(Filters.parse(filters));
            reclaimed += v.spaceReclaimed();
            VolumeCommands.printPruned(this, "Deleted Volumes:", v, false);
        }
        ImagePruneReport images = cli.client().pruneImages(Filters.parse(filters).add("dangling", Boolean.toString(!all)));
        reclaimed += ImagePruneCommand.printDeleted(this, images);
        reclaimed += BuilderPruneCommand.printDeleted(this, cli.client().builds().prune());
        out().println("Total reclaimed space: " + Units.humanSize(reclaimed));
        return 0;
    }

    /** docker's confirmation template, rendered. */
    String confirmation() {
        List<String> warnings = new ArrayList<>(List.of("all stopped containers", "all networks not used by at least one container"));
        if (volumes) {
            warnings.add("all anonymous volumes not used by at least one container");
        }
        warnings.add(all ? "all images without at least one container associated to them" : "all dangling images");
        warnings.add(all ? "all build cache" : "unused build cache");
        StringBuilder sb = new StringBuilder("WARNING! This will remove:");
        warnings.forEach(w -> sb.append("\n  - ").append(w));
        sb.append('\n');
        List<String> shown = new ArrayList<>();
        for (String key : List.of("label", "label!", "until")) {
            for (String f : filters) {
                int eq = f.indexOf('=');
                if (eq > 0 && f.substring(0, eq).equals(key)) {
                    shown.add(f);
                }
            }
        }
        shown.sort(null);
        if (!shown.isEmpty()) {
            sb.append("\n  Items to be pruned will be filtered with:");
            shown.forEach(f -> sb.append("\n  - ").append(f));
            sb.append('\n');
        }
        return sb.append("\nAre you sure you want to continue?").toString();
    }
}
