package dev.berth.cli.commands;

import dev.berth.cli.format.TabWriter;
import dev.berth.engine.format.Units;
import dev.berth.cli.Opt;
import dev.berth.cli.format.RawModels;
import dev.berth.cli.format.TemplateFields;
import dev.berth.engine.client.model.ImageHistoryItem;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code berth history} / {@code berth image history}: an image's layers, newest first. */
public final class HistoryCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value("format", "string", Opt.FORMAT_TABLE_HELP),
            Opt.bool('H', "human", "Print sizes and dates in human readable format (default true)"),
            Opt.bool("no-trunc", "Don't truncate output"),
            Opt.bool('q', "quiet", "Only show image IDs"));

    String format;
    boolean human = true;
    boolean noTrunc;
    boolean quiet;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "format" -> format = value;
            case "human" -> human = Boolean.parseBoolean(value);
            case "no-trunc" -> noTrunc = Boolean.parseBoolean(value);
            case "quiet" -> quiet = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    static final String DEFAULT_TABLE = "table {{.ID}}\t{{.CreatedSince}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final String NON_HUMAN_TABLE = "table {{.ID}}\t{{.CreatedAt}}\t{{.CreatedBy}}\t{{.Size}}\t{{.Comment}}";
    static final Map<String, String> HEADERS = Map.of("ID", "IMAGE", "CreatedSince", "CREATED", "CreatedAt", "CREATED AT",
            "CreatedBy", "CREATED BY", "Size", "SIZE", "Comment", "COMMENT");
    /** Layers older than this have no real date (docker's own cut-off). */
    private static final long EPOCH_2000 = 946684800L;

    @Override
    public int run() {
        exactArgs(1, args);
        List<ImageHistoryItem> history = RawModels.history(cli.client().imageHistoryRaw(args.getFirst()));
        String source = format == null || format.isEmpty() ? "table" : format;
        String fmt = source.equals("table") ? (quiet ? "{{.ID}}" : human ? DEFAULT_TABLE : NON_HUMAN_TABLE) : source;
        Instant now = cli.io().clock().instant();
        List<Row> rows = history.stream().map(h -> new Row(h, !noTrunc, human, now)).toList();
        out().print(formatRows(fmt, rows, HEADERS));
        return 0;
    }

    /** Go's {@code time.RFC3339}. */
    private static final DateTimeFormatter RFC3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    record Row(ImageHistoryItem h, boolean trunc, boolean human, Instant now) implements TemplateFields {
        @Override
        public String typeName() {
            return "*image.historyContext";
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            String createdAt = RFC3339.format(Instant.ofEpochSecond(h.created()).atZone(ZoneId.systemDefault()));
            m.put("Comment", h.comment());
            m.put("CreatedAt", createdAt);
            String since;
            if (!human) {
                since = createdAt;
            } else if (h.created() <= EPOCH_2000) {
                since = "N/A";
            } else {
                since = Units.humanDuration(Duration.between(Instant.ofEpochSecond(h.created()), now)) + " ago";
            }
            m.put("CreatedBy", trunc ? TabWriter.ellipsis(h.createdBy().replace("\t", " "), 45) : h.createdBy().replace("\t", " "));
            m.put("CreatedSince", since);
            m.put("ID", trunc ? Units.truncateId(h.id()) : h.id());
            m.put("Size", human ? Units.humanSizeWithPrecision(h.size(), 3) : Long.toString(h.size()));
            return m;
        }
    }
}
