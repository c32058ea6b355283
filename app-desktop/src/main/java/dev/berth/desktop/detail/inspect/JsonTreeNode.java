package dev.berth.desktop.detail.inspect;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * A node of the inspect tree: the view turns these into TreeItems, so the JSON walk is testable
 * without JavaFX. Objects and arrays have children and a summary; leaves show their value.
 */
public record JsonTreeNode(String key, String value, List<JsonTreeNode> children) {

    public static JsonTreeNode of(String key, JsonNode node) {
        if (node.isObject()) {
            List<JsonTreeNode> kids = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                kids.add(of(e.getKey(), e.getValue()));
            }
            return new JsonTreeNode(key, "{" + kids.size() + "}", List.copyOf(kids));
        }
        if (node.isArray()) {
            List<JsonTreeNode> kids = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                kids.add(of("[" + i + "]", node.get(i)));
            }
            return new JsonTreeNode(key, "[" + kids.size() + "]", List.copyOf(kids));
        }
        return new JsonTreeNode(key, node.isNull() ? "null" : node.isTextual() ? node.asText() : node.toString(),
                List.of());
    }

    public boolean isLeaf() {
        return children.isEmpty();
    }

    /** The node at a dotted path of keys ("State.Status"), or null. */
    public JsonTreeNode find(String dottedPath) {
        JsonTreeNode n = this;
        for (String part : dottedPath.split("\\.")) {
            JsonTreeNode next = null;
            for (JsonTreeNode c : n.children) {
                if (c.key.equals(part)) {
                    next = c;
                    break;
                }
            }
            if (next == null) {
                return null;
            }
            n = next;
        }
        return n;
    }

    @Override
    public String toString() {
        return key + ": " + value;
    }
}
