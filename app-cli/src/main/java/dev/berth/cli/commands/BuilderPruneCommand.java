package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Opt;
import dev.berth.engine.format.Units;

import java.util.List;

/**
 * {@code berth builder prune}: the classic builder's cache ({@code POST /build/prune}). The engine clears
 * its whole cache; {@code --filter} and {@code --keep-storage} are accepted as docker's are but not applied.
 */
public final class BuilderPruneCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool('a', "all", "Remove all unused build cache, not just dangling ones"),
            Opt.value("filter", "filter", "Provide filter values (e.g. \"until=24h\")"),
            Opt.bool('f', "force", "Do not prompt for confirmation"),
            Opt.value("keep-storage", "bytes", "Amount of disk space to keep for cache"));

    boolean all;
    boolean force;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "all" -> all = Boolean.parseBoolean(value);
            case "force" -> force = Boolean.parseBoolean(value);
            case "filter", "keep-storage" -> {
                // accepted for scripts written for docker; the classic builder's cache is cleared whole
            }
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws Exception {
        noArgs(args);
        String warning = all ? "WARNING! This will remove all build cache. Are you sure you want to continue?"
                : "WARNING! This will remove all dangling build cache. Are you sure you want to continue?";
        if (!force && !confirm(warning)) {
            return 0;
        }
        JsonNode report = cli.client().builds().prune();
        out().println("Total reclaimed space: " + Units.humanSize(printDeleted(this, report)));
        return 0;
    }

    /** The "Deleted build cache objects:" list (nothing when none was), as builder and system prune print it; the space freed. */
    static long printDeleted(BerthCommand c, JsonNode report) {
        JsonNode deleted = report.path("CachesDeleted");
        if (deleted.isArray() && !deleted.isEmpty()) {
            StringBuilder sb = new StringBuilder("Deleted build cache objects:\n");
            deleted.forEach(id -> sb.append(id.asText()).append('\n'));
            c.out().println(sb);
        }
        return report.path("SpaceReclaimed").asLong(0);
    }
}
