package dev.berth.engine.client;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.client.model.PruneReport;
import dev.berth.images.Json;
import okhttp3.HttpUrl;

import java.util.Map;

/**
 * The {@code /volumes} endpoints. Volumes are read as JSON trees ({@code Name}, {@code Driver},
 * {@code Mountpoint}, {@code Labels}, {@code Scope}, {@code Options}, {@code CreatedAt}), which the
 * CLI formats and prints as the engine sent them. Obtained from {@link EngineClient#volumes()}.
 */
public final class VolumeClient {
    private final EngineClient c;

    VolumeClient(EngineClient client) {
        this.c = client;
    }

    /** {@code POST /volumes/create}; an empty name lets the engine choose one. */
    public JsonNode create(String name, String driver, Map<String, String> driverOpts, Map<String, String> labels) {
        var body = Json.MAPPER.createObjectNode();
        body.put("Name", name == null ? "" : name);
        body.put("Driver", driver == null || driver.isEmpty() ? "local" : driver);
        body.set("DriverOpts", Json.MAPPER.valueToTree(driverOpts == null ? Map.of() : driverOpts));
        body.set("Labels", Json.MAPPER.valueToTree(labels == null ? Map.of() : labels));
        byte[] raw;
        try (var response = c.send(c.post(c.url("volumes", "create"), EngineClient.jsonBody(body), null))) {
            raw = response.body().bytes();
        } catch (java.io.IOException e) {
            throw new dev.berth.errors.BerthException(dev.berth.errors.ErrorCategory.UNAVAILABLE,
                    "lost the connection to the engine: " + e.getMessage(), e);
        }
        return ContainerClient.readTree(raw);
    }

    /** {@code GET /volumes}: {@code {"Volumes": [...], "Warnings": [...]}}. */
    public JsonNode list(Filters filters) {
        return ContainerClient.readTree(listRaw(filters));
    }

    public byte[] listRaw(Filters filters) {
        HttpUrl.Builder url = c.url("volumes");
        EngineClient.addFilters(url, filters);
        return c.getBytes(url);
    }

    /** {@code GET /volumes/{name}} as the engine sent it. */
    public byte[] inspectRaw(String name) {
        return c.getBytes(c.url("volumes").addPathSegment(requireName(name)));
    }

    /** {@code DELETE /volumes/{name}}. */
    public void remove(String name, boolean force) {
        HttpUrl.Builder url = c.url("volumes").addPathSegment(requireName(name));
        if (force) {
            url.addQueryParameter("force", "1");
        }
        c.send(c.delete(url)).close();
    }

    /** {@code POST /volumes/prune}; {@code all=true} in the filters also prunes named volumes (API 1.42+). */
    public PruneReport prune(Filters filters) {
        HttpUrl.Builder url = c.url("volumes", "prune");
        EngineClient.addFilters(url, filters);
        return c.readJson(c.send(c.post(url, EngineClient.emptyBody(), null)), Json.MAPPER.readerFor(PruneReport.class));
    }

    private static String requireName(String name) {
        if (name == null || name.isBlank()) {
            throw dev.berth.errors.BerthException.invalid("a volume name is required");
        }
        return name;
    }
}
