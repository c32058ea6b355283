package dev.berth.engine.containers;

import dev.berth.engine.events.EngineEvent;
import dev.berth.engine.events.EventBus;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Container events in Docker's shape (moby LogContainerEventWithAttributes): the container's labels,
 * plus {@code image} and {@code name}, plus what the action adds (exitCode, signal, oldName).
 */
final class ContainerEvents {
    private volatile EventBus bus;

    void publishTo(EventBus bus) {
        this.bus = bus;
    }

    void emit(ContainerRecord r, String action) {
        emit(r, action, Map.of());
    }

    void emit(ContainerRecord r, String action, Map<String, String> extra) {
        EventBus b = bus;
        if (b == null) {
            return;
        }
        Map<String, String> attributes = new LinkedHashMap<>();
        r.config().path("Config").path("Labels").properties().forEach(e -> attributes.put(e.getKey(), e.getValue().asText()));
        attributes.putAll(extra);
        attributes.put("image", r.imageName());
        attributes.put("name", r.name());
        long nanos = System.currentTimeMillis() * 1_000_000L + (System.nanoTime() % 1_000_000L + 1_000_000L) % 1_000_000L;
        b.publish(new EngineEvent("container", action, new EngineEvent.Actor(r.id(), attributes), "local",
                nanos / 1_000_000_000L, nanos, action, r.id(), r.imageName()));
    }
}
