package dev.berth.cli.commands;

import dev.berth.engine.format.Units;
import dev.berth.cli.Opt;
import dev.berth.engine.client.Filters;
import dev.berth.engine.client.model.ImageDeleteResponseItem;
import dev.berth.engine.client.model.ImagePruneReport;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** {@code berth image prune}: removes dangling (or with {@code -a}, all unused) images after asking. */
public final class ImagePruneCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool('a', "all", "Remove all unused images, not just dangling ones"),
            Opt.value("filter", "filter", "Provide filter values (e.g. \"until=<timestamp>\")"),
            Opt.bool('f', "force", "Do not prompt for confirmation"));

    boolean all;
    final List<String> filters = new ArrayList<>();
    boolean force;

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
            default -> throw new IllegalArgumentException(name);
        }
    }

    static final String ALL_WARNING = "WARNING! This will remove all images without at least one container associated to them.\n"
            + "Are you sure you want to continue?";
    static final String DANGLING_WARNING = "WARNING! This will remove all dangling images.\nAre you sure you want to continue?";

    @Override
    public int run() throws IOException {
        noArgs(args);
        Filters f = Filters.parse(filters).add("dangling", Boolean.toString(!all));
        if (!force && !confirm(all ? ALL_WARNING : DANGLING_WARNING)) {
            return 0; // docker treats a "no" as a cancellation: nothing printed, success
        }
        ImagePruneReport report = cli.client().pruneImages(f);
        long reclaimed = printDeleted(this, report);
        out().println("Total reclaimed space: " + Units.humanSize(reclaimed));
        return 0;
    }

    /** The "Deleted Images:" list (nothing when none was), as image and system prune print it; the space it freed. */
    static long printDeleted(BerthCommand c, ImagePruneReport report) {
        if (report.imagesDeleted().isEmpty()) {
            return 0;
        }
        StringBuilder sb = new StringBuilder("Deleted Images:\n");
        for (ImageDeleteResponseItem item : report.imagesDeleted()) {
            if (item.untagged() != null && !item.untagged().isEmpty()) {
                sb.append("untagged: ").append(item.untagged()).append('\n');
            } else {
                sb.append("deleted: ").append(item.deleted()).append('\n');
            }
        }
        c.out().println(sb);
        return report.spaceReclaimed();
    }
}
