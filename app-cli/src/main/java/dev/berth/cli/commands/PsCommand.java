package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.format.ContainerRows;
import dev.berth.cli.format.RawModels;
import dev.berth.engine.client.Filters;
import dev.berth.engine.client.model.ContainerSummary;
import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@code berth ps} / {@code berth container ls}: docker's container table, or {@code --format} rows. */
public final class PsCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool('a', "all", "Show all containers (default shows just running)"),
            Opt.value('f', "filter", "filter", "Filter output based on conditions provided"),
            Opt.value("format", "string", Opt.FORMAT_TABLE_HELP),
            Opt.value('n', "last", "int", "Show n last created containers (includes all states)"),
            Opt.bool('l', "latest", "Show the latest created container (includes all states)"),
            Opt.bool("no-trunc", "Don't truncate output"),
            Opt.bool('q', "quiet", "Only display container IDs"),
            Opt.bool('s', "size", "Display total file sizes"));

    boolean all;
    final List<String> filters = new ArrayList<>();
    String format;
    int last = -1;
    boolean latest;
    boolean noTrunc;
    boolean quiet;
    boolean size;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        boolean on = Boolean.parseBoolean(value);
        switch (name) {
            case "all" -> all = on;
            case "filter" -> filters.add(value);
            case "format" -> format = value;
            case "last" -> {
                try {
                    last = Integer.parseInt(value.strip());
                } catch (NumberFormatException e) {
                    throw BerthException.invalid("invalid argument \"" + value + "\" for \"-n, --last\" flag: strconv.ParseInt: parsing \""
                            + value + "\": invalid syntax");
                }
            }
            case "latest" -> latest = on;
            case "no-trunc" -> noTrunc = on;
            case "quiet" -> quiet = on;
            case "size" -> size = on;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        noArgs(args);
        int limit = latest && last == -1 ? 1 : last;
        String source = format == null || format.isEmpty() ? "table" : format;
        String fmt = ContainerRows.format(source, quiet, size);
        // docker asks for sizes only when they are shown
        boolean wantSize = !quiet && (fmt.contains("{{.Size}}") || fmt.contains(".Size"));
        Filters f = Filters.parse(filters);
        boolean listAll = all || limit > 0;
        byte[] raw = cli.lean().get("containers/json", "all", listAll ? "1" : null, "limit", limit > 0 ? Integer.toString(limit) : null,
                "size", wantSize ? "1" : null, "filters", f.isEmpty() ? null : f.toJson());
        List<ContainerSummary> list = raw != null ? RawModels.containerSummaries(raw)
                : cli.client().containers().list(listAll, limit, wantSize, f);
        if (limit > 0 && list.size() > limit) {
            // an engine that ignores limit: the newest, as docker's engine picks them
            list = new ArrayList<>(list);
            list.sort(Comparator.comparingLong(ContainerSummary::created).reversed());
            list = list.subList(0, limit);
        }
        out().print(formatRows(fmt, ContainerRows.rows(list, !noTrunc, cli.io().clock().instant()), ContainerRows.HEADERS));
        return 0;
    }
}
