package dev.berth.engine.events;

import dev.berth.errors.BerthException;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The {@code filters} of {@code GET /events}, with moby's semantics (daemon/events/filter.go): values
 * of one key are ORed and keys are ANDed; container, network, volume and daemon match the actor's id
 * or name attribute by prefix; image matches the image's id or name, also without its tag, and a
 * container event by the container's image; event is exact, except that a bare exec_create,
 * exec_start or health_status also matches the action with its ": command" suffix; every label
 * given must match the actor's attributes.
 */
public final class EventFilter {
    private static final Set<String> KEYS = Set.of("container", "image", "event", "label", "network", "type", "volume",
            "daemon", "plugin", "node", "service", "secret", "config", "scope");
    private static final Set<String> FUZZY_EVENTS = Set.of("exec_create", "exec_start", "health_status");

    private final Map<String, List<String>> filters;

    public EventFilter(Map<String, List<String>> filters) {
        for (String k : filters.keySet()) {
            if (!KEYS.contains(k)) {
                throw BerthException.invalid("invalid filter '" + k + "'");
            }
        }
        this.filters = filters;
    }

    public boolean includes(EngineEvent e) {
        Map<String, String> attrs = e.actor() == null || e.actor().attributes() == null ? Map.of() : e.actor().attributes();
        String id = e.actor() == null ? "" : e.actor().id();
        return event(e.action())
                && exact("type", e.type())
                && exact("scope", e.scope())
                && fuzzyName("daemon", e.type(), id, attrs)
                && fuzzyName("container", e.type(), id, attrs)
                && fuzzyName("plugin", e.type(), id, attrs)
                && fuzzyName("volume", e.type(), id, attrs)
                && fuzzyName("network", e.type(), id, attrs)
                && image(e.type(), id, attrs)
                && fuzzyName("node", e.type(), id, attrs)
                && fuzzyName("service", e.type(), id, attrs)
                && fuzzyName("secret", e.type(), id, attrs)
                && fuzzyName("config", e.type(), id, attrs)
                && labels(attrs);
    }

    private List<String> values(String key) {
        return filters.getOrDefault(key, List.of());
    }

    private boolean exact(String key, String source) {
        List<String> v = values(key);
        return v.isEmpty() || v.contains(source);
    }

    private boolean fuzzy(String key, String source) {
        List<String> v = values(key);
        if (v.isEmpty()) {
            return true;
        }
        if (source == null) {
            return false;
        }
        return v.stream().anyMatch(source::startsWith);
    }

    private boolean event(String action) {
        if (values("event").stream().anyMatch(FUZZY_EVENTS::contains)) {
            return fuzzy("event", action);
        }
        return exact("event", action);
    }

    /** moby's fuzzyMatchName: the key names an event type, and applies to every event (an event of another type has another actor). */
    private boolean fuzzyName(String key, String type, String id, Map<String, String> attrs) {
        return fuzzy(key, id) || fuzzy(key, attrs.get("name"));
    }

    private boolean image(String type, String id, Map<String, String> attrs) {
        List<String> v = values("image");
        if (v.isEmpty()) {
            return true;
        }
        String name = attrs.getOrDefault("image".equals(type) ? "name" : "image", "");
        return v.contains(id) || v.contains(name) || v.contains(stripTag(id)) || v.contains(stripTag(name));
    }

    /** moby's stripTag: the repository without ":tag" (a digest reference stays as it is). */
    static String stripTag(String image) {
        if (image == null || image.contains("@")) {
            return image;
        }
        int colon = image.lastIndexOf(':');
        return colon > image.lastIndexOf('/') ? image.substring(0, colon) : image;
    }

    private boolean labels(Map<String, String> attrs) {
        for (String l : values("label")) {
            int eq = l.indexOf('=');
            boolean ok = eq < 0 ? attrs.containsKey(l) : l.substring(eq + 1).equals(attrs.get(l.substring(0, eq)));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
