package dev.berth.engine.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

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

    public String toJson() {
        Map<String, Map<String, Boolean>> wire = new LinkedHashMap<>();
        values.forEach((k, vs) -> {
            Map<String, Boolean> set = new LinkedHashMap<>();
            vs.forEach(v -> set.put(v, Boolean.TRUE));
            wire.put(k, set);
        });
        try {
            return Json.MAPPER.writeValueAsString(wire);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return toJson();
    }
}
