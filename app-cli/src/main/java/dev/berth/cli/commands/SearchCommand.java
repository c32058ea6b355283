package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.cli.Opt;
import dev.berth.cli.format.TabWriter;
import dev.berth.cli.format.TemplateFields;
import dev.berth.engine.client.Filters;
import dev.berth.engine.client.model.AuthConfig;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import dev.berth.registry.IndexSearch;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** {@code berth search TERM}: the engine asks the term's registry index; docker's table. */
public final class SearchCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('f', "filter", "filter", "Filter output based on conditions provided"),
            Opt.value("format", "string", "Pretty-print search using a Go template"),
            Opt.value("limit", "int", "Max number of search results"),
            Opt.bool("no-trunc", "Don't truncate output"));

    final List<String> filters = new ArrayList<>();
    String format;
    int limit;
    boolean noTrunc;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "filter" -> filters.add(value);
            case "format" -> format = value;
            case "limit" -> {
                try {
                    limit = Integer.parseInt(value);
                } catch (NumberFormatException e) {
                    throw BerthException.invalid("invalid argument \"" + value + "\" for \"--limit\" flag: strconv.ParseInt: parsing \""
                            + value + "\": invalid syntax");
                }
            }
            case "no-trunc" -> noTrunc = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    static final String DEFAULT_TABLE = "table {{.Name}}\t{{.Description}}\t{{.StarCount}}\t{{.IsOfficial}}";
    static final Map<String, String> HEADERS = Map.of("Name", "NAME", "Description", "DESCRIPTION", "StarCount", "STARS",
            "IsOfficial", "OFFICIAL", "IsAutomated", "AUTOMATED");

    @Override
    public int run() throws IOException {
        exactArgs(1, args);
        String term = args.getFirst();
        Filters f = Filters.parse(filters);
        String index = IndexSearch.target(term).index();
        AuthConfig auth = cli.credentials().forRegistry(index);
        byte[] raw = cli.client().searchImagesRaw(term, limit, f.isEmpty() ? null : f.toJson(), auth);
        JsonNode results = Json.MAPPER.readTree(raw);
        if (!results.isArray()) {
            throw new BerthException(ErrorCategory.SYSTEM, "unreadable search answer from the engine");
        }
        List<Row> rows = new ArrayList<>();
        results.forEach(r -> rows.add(new Row(r, !noTrunc)));
        String fmt = format == null || format.isEmpty() || format.equals("table") ? DEFAULT_TABLE : format;
        out().print(formatRows(fmt, rows, HEADERS));
        return 0;
    }

    record Row(JsonNode r, boolean trunc) implements TemplateFields {
        @Override
        public String typeName() {
            return "*registry.searchContext";
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            String desc = r.path("description").asText("").replace("\n", " ").replace("\r", " ");
            m.put("Description", trunc ? TabWriter.ellipsis(desc, 45) : desc);
            m.put("IsAutomated", r.path("is_automated").asBoolean() ? "[OK]" : "");
            m.put("IsOfficial", r.path("is_official").asBoolean() ? "[OK]" : "");
            m.put("Name", r.path("name").asText(""));
            m.put("StarCount", Integer.toString(r.path("star_count").asInt()));
            return m;
        }
    }
}
