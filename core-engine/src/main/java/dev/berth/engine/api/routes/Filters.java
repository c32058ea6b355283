package dev.berth.engine.api.routes;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Docker's {@code filters} query parameter: JSON of {@code {"key":["v"]}}, or the legacy
 * {@code {"key":{"v":true}}} that old clients send.
 */
final class Filters {
    private Filters() {
    }

    static Map<String, List<String>> parse(String json) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (json == null || json.isBlank()) {
            return out;
        }
        try {
            Map<String, Object> raw = Json.MAPPER.readValue(json, new TypeReference<>() { });
            for (Map.Entry<String, Object> e : raw.entrySet()) {
                List<String> values = new ArrayList<>();
                if (e.getValue() instanceof List<?> l) {
                    l.forEach(v -> values.add(String.valueOf(v)));
                } else if (e.getValue() instanceof Map<?, ?> m) {
                    m.forEach((k, v) -> {
                        if (Boolean.TRUE.equals(v)) {
                            values.add(String.valueOf(k));
                        }
                    });
                } else {
                    throw BerthException.invalid("invalid filter '" + e.getKey() + "'");
                }
                out.put(e.getKey(), values);
            }
            return out;
        } catch (IOException e) {
            throw BerthException.invalid("invalid filter: " + Json.describe(e));
        }
    }
}
