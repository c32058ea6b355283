package dev.berth.cli.format;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.client.model.ContainerSummary;
import dev.berth.engine.client.model.DiskUsage;
import dev.berth.engine.client.model.ImageHistoryItem;
import dev.berth.engine.client.model.ImageSummary;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The client's models, built from the engine's JSON through {@link LeanJson}
 * instead of Jackson databind. The CLI takes this path for the commands people run most
 * ({@code images}, {@code history}, {@code system df}): in a fresh process, binding records costs
 * about a hundred milliseconds, more than the request itself.
 */
public final class RawModels {
    private RawModels() {
    }

    public static Object parse(byte[] json) {
        try {
            return LeanJson.parse(json);
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.SYSTEM, "unreadable answer from the engine: " + e.getMessage(), e);
        }
    }

    public static List<ImageSummary> imageSummaries(byte[] json) {
        List<ImageSummary> out = new ArrayList<>();
        for (Object o : list(parse(json))) {
            out.add(imageSummary(map(o)));
        }
        return out;
    }

    static ImageSummary imageSummary(Map<?, ?> m) {
        return new ImageSummary(str(m, "Id"), str(m, "ParentId"), strings(m.get("RepoTags")), strings(m.get("RepoDigests")),
                num(m, "Created", 0), num(m, "Size", 0), num(m, "SharedSize", -1), stringMap(m.get("Labels")),
                num(m, "Containers", -1));
    }

    /**
     * {@code GET /containers/json} as databind would bind it: absent numbers 0, absent strings null,
     * and {@code NetworkSettings} as a tree (built from jackson-core's tokens, not by an ObjectMapper).
     */
    public static List<ContainerSummary> containerSummaries(byte[] json) {
        List<ContainerSummary> out = new ArrayList<>();
        for (Object o : list(parse(json))) {
            Map<?, ?> m = map(o);
            List<ContainerSummary.Port> ports = new ArrayList<>();
            for (Object p : list(m.get("Ports"))) {
                Map<?, ?> pm = map(p);
                ports.add(new ContainerSummary.Port(str(pm, "IP"), (int) num(pm, "PrivatePort", 0), (int) num(pm, "PublicPort", 0),
                        str(pm, "Type")));
            }
            List<ContainerSummary.Mount> mounts = new ArrayList<>();
            for (Object x : list(m.get("Mounts"))) {
                Map<?, ?> mm = map(x);
                mounts.add(new ContainerSummary.Mount(str(mm, "Type"), str(mm, "Name"), str(mm, "Source"), str(mm, "Destination"),
                        str(mm, "Driver")));
            }
            Object labels = m.get("Labels");
            out.add(new ContainerSummary(str(m, "Id"), m.get("Names") instanceof List<?> ? strings(m.get("Names")) : null,
                    str(m, "Image"), str(m, "ImageID"), str(m, "Command"), num(m, "Created", 0),
                    m.get("Ports") instanceof List<?> ? ports : null, num(m, "SizeRw", 0), num(m, "SizeRootFs", 0),
                    labels instanceof Map<?, ?> ? nullableStringMap(labels) : null, str(m, "State"), str(m, "Status"),
                    m.containsKey("NetworkSettings") ? tree(m.get("NetworkSettings")) : null,
                    m.get("Mounts") instanceof List<?> ? mounts : null));
        }
        return out;
    }

    private static Map<String, String> nullableStringMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
            out.put(String.valueOf(e.getKey()), e.getValue() == null ? null : String.valueOf(e.getValue()));
        }
        return out;
    }

    /** A parsed value as a Jackson tree (the node classes only, no ObjectMapper). */
    private static JsonNode tree(Object o) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (o instanceof Map<?, ?> m) {
            ObjectNode node = f.objectNode();
            m.forEach((k, v) -> node.set(String.valueOf(k), tree(v)));
            return node;
        }
        if (o instanceof List<?> l) {
            ArrayNode node = f.arrayNode();
            for (Object e : l) {
                node.add(tree(e));
            }
            return node;
        }
        if (o instanceof String s) {
            return f.textNode(s);
        }
        if (o instanceof Boolean b) {
            return f.booleanNode(b);
        }
        if (o instanceof java.math.BigInteger i) {
            return i.bitLength() < 32 ? f.numberNode(i.intValue()) : i.bitLength() < 64 ? f.numberNode(i.longValue()) : f.numberNode(i);
        }
        if (o instanceof java.math.BigDecimal d) {
            return f.numberNode(d.doubleValue());
        }
        return f.nullNode();
    }

    public static List<ImageHistoryItem> history(byte[] json) {
        List<ImageHistoryItem> out = new ArrayList<>();
        for (Object o : list(parse(json))) {
            Map<?, ?> m = map(o);
            out.add(new ImageHistoryItem(str(m, "Id"), num(m, "Created", 0), str(m, "CreatedBy"), strings(m.get("Tags")),
                    num(m, "Size", 0), str(m, "Comment")));
        }
        return out;
    }

    public static DiskUsage diskUsage(byte[] json) {
        Map<?, ?> m = map(parse(json));
        List<ImageSummary> images = new ArrayList<>();
        for (Object o : list(m.get("Images"))) {
            images.add(imageSummary(map(o)));
        }
        List<DiskUsage.ContainerUsage> containers = new ArrayList<>();
        for (Object o : list(m.get("Containers"))) {
            Map<?, ?> c = map(o);
            containers.add(new DiskUsage.ContainerUsage(str(c, "Id"), strings(c.get("Names")), str(c, "Image"), str(c, "Command"),
                    num(c, "Created", 0), str(c, "State"), str(c, "Status"), num(c, "SizeRw", 0), num(c, "SizeRootFs", 0),
                    mounts(c.get("Mounts"))));
        }
        List<DiskUsage.VolumeUsage> volumes = new ArrayList<>();
        for (Object o : list(m.get("Volumes"))) {
            Map<?, ?> v = map(o);
            Object usage = v.get("UsageData");
            DiskUsage.UsageData data = usage instanceof Map<?, ?> u
                    ? new DiskUsage.UsageData(num(u, "Size", -1), num(u, "RefCount", -1)) : null;
            volumes.add(new DiskUsage.VolumeUsage(str(v, "Name"), str(v, "Driver"), str(v, "Mountpoint"), data));
        }
        List<DiskUsage.BuildCacheUsage> cache = new ArrayList<>();
        for (Object o : list(m.get("BuildCache"))) {
            Map<?, ?> b = map(o);
            cache.add(new DiskUsage.BuildCacheUsage(str(b, "ID"), str(b, "Type"), num(b, "Size", 0),
                    Boolean.TRUE.equals(b.get("InUse")), Boolean.TRUE.equals(b.get("Shared")), num(b, "UsageCount", 0)));
        }
        return new DiskUsage(num(m, "LayersSize", 0), images, containers, volumes, cache);
    }

    private static List<?> list(Object o) {
        return o instanceof List<?> l ? l : List.of();
    }

    private static Map<?, ?> map(Object o) {
        if (o instanceof Map<?, ?> m) {
            return m;
        }
        throw new BerthException(ErrorCategory.SYSTEM, "unexpected answer from the engine: expected a JSON object");
    }

    private static String str(Map<?, ?> m, String key) {
        Object v = m.get(key);
        return v == null ? null : v instanceof String s ? s : String.valueOf(v);
    }

    private static long num(Map<?, ?> m, String key, long absent) {
        return m.get(key) instanceof Number n ? n.longValue() : absent;
    }

    private static List<String> strings(Object o) {
        List<String> out = new ArrayList<>();
        for (Object e : list(o)) {
            out.add(String.valueOf(e));
        }
        return out;
    }

    private static Map<String, String> stringMap(Object o) {
        Map<String, String> out = new LinkedHashMap<>();
        if (o instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                out.put(String.valueOf(e.getKey()), String.valueOf(e.getValue()));
            }
        }
        return out;
    }

    /** As databind binds it: null when absent. */
    private static List<Map<String, Object>> mounts(Object o) {
        if (!(o instanceof List<?>)) {
            return null;
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object e : list(o)) {
            Map<String, Object> m = new java.util.LinkedHashMap<>();
            map(e).forEach((k, v) -> m.put(String.valueOf(k), v));
            out.add(m);
        }
        return out;
    }
}
