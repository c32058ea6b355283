package dev.berth.engine.client;

import dev.berth.errors.BerthException;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filters} query parameter of list, prune and events calls. It is sent in the
 * {@code {"key":{"value":true}}} form that docker's client sends, which every engine version accepts.
 */
public final class Filters {
    private final Map<String, Set<String>> values = new LinkedHashMap<>();

    public static Filters of() {
        return new Filters();
    }

    public static Filters of(String key, String value) {
        return new Filters().add(key, value);
    }

    /** Parses {@code name=value} arguments as the CLI's {@code --filter} takes them. */
    public static Filters parse(List<String> arguments) {
        Filters filters = new Filters();
        for (String argument : arguments) {
            int eq = argument.indexOf('=');
            if (eq <= 0) {
                throw BerthException.invalid("bad format of filter (expected name=value)");
            }
            filters.add(argument.substring(0, eq).strip().toLowerCase(), argument.substring(eq + 1).strip());
        }
        return filters;
    }

    public Filters add(String key, String value) {
        values.computeIfAbsent(key, k -> new LinkedHashSet<>()).add(value);
        return this;
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    public Set<String> get(String key) {
        return Collections.unmodifiableSet(values.getOrDefault(key, Set.of()));
    }

    public Map<String, Set<String>> asMap() {
        return Collections.unmodifiableMap(values);
    }

    /** {@code {"key":{"value":true}}}, written by hand: callers on the CLI's fast path never load databind. */
    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        boolean firstKey = true;
        for (Map.Entry<String, Set<String>> e : values.entrySet()) {
            if (!firstKey) {
                sb.append(',');
            }
            firstKey = false;
            quote(sb, e.getKey());
            sb.append(":{");
            boolean firstValue = true;
            for (String v : e.getValue()) {
                if (!firstValue) {
                    sb.append(',');
                }
                firstValue = false;
                quote(sb, v);
                sb.append(":true");
            }
            sb.append('}');
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        sb.append('"');
    }

    @Override
    public String toString() {
        return toJson();
    }
}
