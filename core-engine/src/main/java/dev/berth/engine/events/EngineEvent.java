package dev.berth.engine.events;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.Map;

/** An event in Docker's /events shape (the legacy status/id/from fields are kept for old clients). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record EngineEvent(
        @JsonProperty("Type") String type,
        @JsonProperty("Action") String action,
        @JsonProperty("Actor") Actor actor,
        @JsonProperty("scope") String scope,
        @JsonProperty("time") long time,
        @JsonProperty("timeNano") long timeNano,
        @JsonProperty("status") String status,
        @JsonProperty("id") String id,
        @JsonProperty("from") String from) {

    public record Actor(@JsonProperty("ID") String id, @JsonProperty("Attributes") Map<String, String> attributes) {
    }

    public static EngineEvent image(String action, String id, Map<String, String> attributes) {
        long nanos = System.currentTimeMillis() * 1_000_000L + (System.nanoTime() % 1_000_000L + 1_000_000L) % 1_000_000L;
        return new EngineEvent("image", action, new Actor(id, attributes), "local", nanos / 1_000_000_000L, nanos,
                action, id, null);
    }

    /** A network event: create, destroy, connect, disconnect; Docker sends no legacy fields for these. */
    public static EngineEvent network(String action, String id, Map<String, String> attributes) {
        long nanos = System.currentTimeMillis() * 1_000_000L + (System.nanoTime() % 1_000_000L + 1_000_000L) % 1_000_000L;
        return new EngineEvent("network", action, new Actor(id, attributes), "local", nanos / 1_000_000_000L, nanos,
                null, null, null);
    }
}
