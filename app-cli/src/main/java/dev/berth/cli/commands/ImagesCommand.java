package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.format.ImageRows;
import dev.berth.cli.format.RawModels;
import dev.berth.engine.client.Filters;
import dev.berth.engine.client.model.ImageSummary;

import java.util.ArrayList;
import java.util.List;

/** {@code berth images} / {@code berth image ls}: docker's image table, or {@code --format} rows. */
public final class ImagesCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool('a', "all", "Show all images (default hides intermediate images)"),
            Opt.bool("digests", "Show digests"),
            Opt.value('f', "filter", "filter", "Filter output based on conditions provided"),
            Opt.value("format", "string", Opt.FORMAT_TABLE_HELP),
            Opt.bool("no-trunc", "Don't truncate output"),
            Opt.bool('q', "quiet", "Only show image IDs"));

    boolean all;
    boolean digests;
    final List<String> filters = new ArrayList<>();
    String format;
    boolean noTrunc;
    boolean quiet;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "all" -> all = Boolean.parseBoolean(value);
            case "digests" -> digests = Boolean.parseBoolean(value);
            case "filter" -> filters.add(value);
            case "format" -> format = value;
            case "no-trunc" -> noTrunc = Boolean.parseBoolean(value);
            case "quiet" -> quiet = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        maxArgs(1, args);
        Filters f = Filters.parse(filters);
        if (!args.isEmpty()) {
            f.add("reference", args.getFirst());
        }
        byte[] raw = cli.lean().get("images/json", "all", all ? "1" : null, "filters", f.isEmpty() ? null : f.toJson(),
                "digests", digests ? "1" : null);
        List<ImageSummary> images = RawModels.imageSummaries(raw != null ? raw : cli.client().listImagesRaw(all, f, digests));
        String source = format == null || format.isEmpty() ? "table" : format;
        String fmt = ImageRows.format(source, quiet, digests);
        List<ImageRows.Row> rows = ImageRows.rows(images, digests, fmt.contains("{{.Digest}}"), !noTrunc,
                cli.io().clock().instant());
        out().print(formatRows(fmt, rows, ImageRows.HEADERS));
        if (!args.isEmpty() && images.isEmpty() && path.equals("berth images")) {
            ambiguousHint(args.getFirst());
        }
        return 0;
    }

    /** docker's hint for {@code berth images ls}, which lists images named "ls" rather than running {@code image ls}. */
    private void ambiguousHint(String name) {
        switch (name) {
            case "history", "import", "inspect", "list", "load", "ls", "prune", "pull", "push", "rm", "save", "tag" ->
                    err().println("\nNo images found matching \"" + name + "\": did you mean \"berth image " + name + "\"?");
            default -> {
            }
        }
    }
}
