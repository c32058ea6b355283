package dev.berth.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.format.Units;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Rows of {@code volume ls} and {@code network ls}, made from the engine's JSON as docker's formatter contexts do. */
public final class JsonRows {
    public static final String VOLUME_TABLE = "table {{.Driver}}\t{{.Name}}";
    public static final String NETWORK_TABLE = "table {{.ID}}\t{{.Name}}\t{{.Driver}}\t{{.Scope}}";

    public static final Map<String, String> VOLUME_HEADERS = Map.ofEntries(
            Map.entry("Name", "VOLUME NAME"), Map.entry("Driver", "DRIVER"), Map.entry("Scope", "SCOPE"),
            Map.entry("Mountpoint", "MOUNTPOINT"), Map.entry("Labels", "LABELS"), Map.entry("Links", "LINKS"),
            Map.entry("Size", "SIZE"), Map.entry("Availability", "AVAILABILITY"), Map.entry("Group", "GROUP"),
            Map.entry("Status", "STATUS"));
    public static final Map<String, String> NETWORK_HEADERS = Map.ofEntries(
            Map.entry("ID", "NETWORK ID"), Map.entry("Name", "NAME"), Map.entry("Driver", "DRIVER"),
            Map.entry("Scope", "SCOPE"), Map.entry("IPv6", "IPV6"), Map.entry("Internal", "INTERNAL"),
            Map.entry("Labels", "LABELS"), Map.entry("CreatedAt", "CREATED AT"));

    private JsonRows() {
    }

    static String labels(JsonNode labels) {
        List<String> out = new ArrayList<>();
        if (labels != null && labels.isObject()) {
            Map<String, String> sorted = new TreeMap<>();
            labels.properties().forEach(e -> sorted.put(e.getKey(), e.getValue().asText()));
            sorted.forEach((k, v) -> out.add(k + "=" + v));
        }
        return String.join(",", out);
    }

    /** One volume. */
    public record Volume(JsonNode v) implements TemplateFields {
        @Override
        public String typeName() {
            return "*formatter.volumeContext";
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("Availability", "N/A");
            m.put("Driver", v.path("Driver").asText(""));
            m.put("Group", "N/A");
            m.put("Labels", labels(v.get("Labels")));
            long refs = v.path("UsageData").path("RefCount").asLong(-1);
            m.put("Links", refs < 0 ? "N/A" : Long.toString(refs));
            m.put("Mountpoint", v.path("Mountpoint").asText(""));
            m.put("Name", v.path("Name").asText(""));
            m.put("Scope", v.path("Scope").asText(""));
            long size = v.path("UsageData").path("Size").asLong(-1);
            m.put("Size", size < 0 ? "N/A" : Units.humanSizeWithPrecision(size, 3));
            m.put("Status", "N/A");
            return m;
        }
    }

    /** One network. */
    public record Network(JsonNode n, boolean trunc) implements TemplateFields {
        @Override
        public String typeName() {
            return "*formatter.networkContext";
        }

        @Override
        public Map<String, Object> asMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("CreatedAt", n.path("Created").asText(""));
            m.put("Driver", n.path("Driver").asText(""));
            String id = n.path("Id").asText("");
            m.put("ID", trunc ? Units.truncateId(id) : id);
            m.put("IPv6", Boolean.toString(n.path("EnableIPv6").asBoolean(false)));
            m.put("Internal", Boolean.toString(n.path("Internal").asBoolean(false)));
            m.put("Labels", labels(n.get("Labels")));
            m.put("Name", n.path("Name").asText(""));
            m.put("Scope", n.path("Scope").asText(""));
            return m;
        }
    }
}
