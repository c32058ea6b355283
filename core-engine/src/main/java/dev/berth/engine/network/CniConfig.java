package dev.berth.engine.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A CNI network configuration list (a "conflist", CNI spec 1.0 section 1): a network name, a spec
 * version, and an ordered chain of plugin objects. Immutable; the plugin objects are deep-copied in
 * and out so no caller can change a configuration that is already in use.
 */
public final class CniConfig {
    static final ObjectMapper JSON = new ObjectMapper();

    private final String cniVersion;
    private final String name;
    private final List<ObjectNode> plugins;

    public CniConfig(String cniVersion, String name, List<ObjectNode> plugins) {
        if (cniVersion == null || cniVersion.isBlank()) {
            throw BerthException.invalid("CNI config needs a cniVersion");
        }
        if (name == null || name.isBlank()) {
            throw BerthException.invalid("CNI config needs a name");
        }
        if (plugins == null || plugins.isEmpty()) {
            throw BerthException.invalid("CNI config " + name + " has no plugins");
        }
        List<ObjectNode> copy = new ArrayList<>();
        for (ObjectNode p : plugins) {
            if (!p.path("type").isTextual() || p.get("type").asText().isBlank()) {
                throw BerthException.invalid("CNI config " + name + ": every plugin needs a type");
            }
            copy.add(p.deepCopy());
        }
        this.cniVersion = cniVersion;
        this.name = name;
        this.plugins = List.copyOf(copy);
    }

    /** Parses a conflist document. */
    public static CniConfig parse(String json) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JsonProcessingException e) {
            throw BerthException.invalid("CNI config is not JSON: " + e.getOriginalMessage());
        }
        if (!(root instanceof ObjectNode obj) || !(obj.get("plugins") instanceof ArrayNode arr)) {
            throw BerthException.invalid("CNI config must be an object with a plugins array");
        }
        List<ObjectNode> plugins = new ArrayList<>();
        for (JsonNode p : arr) {
            if (!(p instanceof ObjectNode o)) {
                throw BerthException.invalid("CNI config: a plugin entry is not an object");
            }
            plugins.add(o);
        }
        return new CniConfig(obj.path("cniVersion").asText(null), obj.path("name").asText(null), plugins);
    }

    public String cniVersion() {
        return cniVersion;
    }

    public String name() {
        return name;
    }

    public int size() {
        return plugins.size();
    }

    public String pluginType(int index) {
        return plugins.get(index).get("type").asText();
    }

    public List<ObjectNode> plugins() {
        return plugins.stream().map(ObjectNode::deepCopy).toList();
    }

    /** The conflist document, as a runtime would write it to /etc/cni/net.d. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("cniVersion", cniVersion);
        root.put("name", name);
        ArrayNode arr = root.putArray("plugins");
        plugins.forEach(p -> arr.add(p.deepCopy()));
        return root.toPrettyString();
    }

    /**
     * What plugin {@code index} reads on stdin (spec section 3, "Deriving execution configuration"):
     * the plugin object plus the list's name and cniVersion, {@code runtimeConfig} holding only the
     * capabilities the plugin declares with {@code true} (so a plugin never sees a key it did not
     * ask for), and {@code prevResult} when there is one.
     */
    public ObjectNode pluginInput(int index, Map<String, ?> capabilityArgs, JsonNode prevResult) {
        ObjectNode in = plugins.get(index).deepCopy();
        in.put("cniVersion", cniVersion);
        in.put("name", name);
        in.remove("runtimeConfig");
        in.remove("prevResult");
        ObjectNode runtime = JSON.createObjectNode();
        JsonNode caps = in.path("capabilities");
        if (capabilityArgs != null) {
            capabilityArgs.forEach((key, value) -> {
                if (caps.path(key).asBoolean(false)) {
                    runtime.set(key, JSON.valueToTree(value));
                }
            });
        }
        if (!runtime.isEmpty()) {
            in.set("runtimeConfig", runtime);
        }
        if (prevResult != null && !prevResult.isNull()) {
            in.set("prevResult", prevResult.deepCopy());
        }
        return in;
    }

    @Override
    public String toString() {
        return toJson();
    }
}
