package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.format.GoTemplate;
import dev.berth.engine.client.Filters;
import dev.berth.engine.client.MessageStream;
import dev.berth.engine.client.model.EventMessage;

import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** {@code berth events} / {@code berth system events}: the engine's live event stream, one line per event. */
public final class EventsCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value('f', "filter", "filter", "Filter output based on conditions provided"),
            Opt.value("format", "string", Opt.FORMAT_INSPECT_HELP),
            Opt.value("since", "string", "Show all events created since timestamp"),
            Opt.value("until", "string", "Stream events until this timestamp"));

    final List<String> filters = new ArrayList<>();
    String format;
    String since;
    String until;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "filter" -> filters.add(value);
            case "format" -> format = value;
            case "since" -> since = value;
            case "until" -> until = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** Go's fixed-width RFC 3339 with nanoseconds, as docker prints event times. */
    private static final DateTimeFormatter NANO_FIXED = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSSSSXXX");

    @Override
    public int run() {
        noArgs(args);
        GoTemplate template = null;
        if (format != null && !format.isEmpty()) {
            template = parseTemplate(format.equals("json") ? "{{json .}}" : format, 64);
        }
        try (MessageStream<EventMessage> events = cli.client().events(since, until, Filters.parse(filters))) {
            while (events.hasNext()) {
                EventMessage e = events.next();
                if (template != null) {
                    try {
                        out().println(template.execute(asMap(e)));
                    } catch (dev.berth.cli.format.TemplateException ex) {
                        throw new dev.berth.cli.UsageError("template parsing error: " + ex.getMessage(), 1);
                    }
                } else {
                    out().println(line(e));
                }
                out().flush();
            }
        }
        return 0;
    }

    static String line(EventMessage e) {
        StringBuilder sb = new StringBuilder();
        if (e.timeNano() != 0) {
            sb.append(NANO_FIXED.format(Instant.ofEpochSecond(0, e.timeNano()).atZone(ZoneId.systemDefault()))).append(' ');
        } else if (e.time() != 0) {
            sb.append(NANO_FIXED.format(Instant.ofEpochSecond(e.time()).atZone(ZoneId.systemDefault()))).append(' ');
        }
        String id = e.actor() == null ? "" : e.actor().id();
        sb.append(e.type()).append(' ').append(e.action()).append(' ').append(id);
        if (e.actor() != null && !e.actor().attributes().isEmpty()) {
            List<String> attrs = new ArrayList<>();
            new TreeMap<>(e.actor().attributes()).forEach((k, v) -> attrs.add(k + "=" + v));
            sb.append(" (").append(String.join(", ", attrs)).append(')');
        }
        return sb.toString();
    }

    private static Map<String, Object> asMap(EventMessage e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Type", e.type());
        m.put("Action", e.action());
        Map<String, Object> actor = new LinkedHashMap<>();
        actor.put("ID", e.actor() == null ? "" : e.actor().id());
        actor.put("Attributes", e.actor() == null ? Map.of() : new LinkedHashMap<>(e.actor().attributes()));
        m.put("Actor", actor);
        m.put("scope", e.scope());
        m.put("time", e.time());
        m.put("timeNano", e.timeNano());
        return m;
    }
}
