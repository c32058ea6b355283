package dev.berth.engine.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.client.model.ContainerCreateResponse;
import dev.berth.engine.client.model.PruneReport;
import dev.berth.images.Json;
import okhttp3.HttpUrl;

import java.util.List;

/**
 * The {@code /networks} endpoints. Networks are read as JSON trees (swagger {@code Network}:
 * {@code Name}, {@code Id}, {@code Driver}, {@code Scope}, {@code IPAM}, {@code Containers}, ...).
 * Obtained from {@link EngineClient#networks()}.
 */
public final class NetworkClient {
    private final EngineClient c;

    NetworkClient(EngineClient client) {
        this.c = client;
    }

    /** {@code POST /networks/create}: the body is swagger's {@code NetworkCreateRequest}; returns the ID. */
    public ContainerCreateResponse create(JsonNode request) {
        return c.readJson(c.send(c.post(c.url("networks", "create"), EngineClient.jsonBody(request), null)),
                Json.MAPPER.readerFor(ContainerCreateResponse.class));
    }

    /** {@code GET /networks}. */
    public JsonNode list(Filters filters) {
        return ContainerClient.readTree(listRaw(filters));
    }

    public byte[] listRaw(Filters filters) {
        HttpUrl.Builder url = c.url("networks");
        EngineClient.addFilters(url, filters);
        return c.getBytes(url);
    }

    /** {@code GET /networks/{id}} as the engine sent it. */
    public byte[] inspectRaw(String id, boolean verbose) {
        HttpUrl.Builder url = c.url("networks").addPathSegment(require(id));
        if (verbose) {
            url.addQueryParameter("verbose", "true");
        }
        return c.getBytes(url);
    }

    /** {@code DELETE /networks/{id}}. */
    public void remove(String id) {
        c.send(c.delete(c.url("networks").addPathSegment(require(id)))).close();
    }

    /**
     * {@code POST /networks/{id}/connect}.
     *
     * @param aliases DNS names for the container on this network
     * @param ipv4    a fixed address, or null
     */
    public void connect(String network, String container, List<String> aliases, String ipv4, String ipv6,
                        List<String> links) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("Container", container);
        ObjectNode endpoint = body.putObject("EndpointConfig");
        if (aliases != null && !aliases.isEmpty()) {
            aliases.forEach(endpoint.putArray("Aliases")::add);
        }
        if (links != null && !links.isEmpty()) {
            links.forEach(endpoint.putArray("Links")::add);
        }
        if ((ipv4 != null && !ipv4.isEmpty()) || (ipv6 != null && !ipv6.isEmpty())) {
            ObjectNode ipam = endpoint.putObject("IPAMConfig");
            if (ipv4 != null && !ipv4.isEmpty()) {
                ipam.put("IPv4Address", ipv4);
            }
            if (ipv6 != null && !ipv6.isEmpty()) {
                ipam.put("IPv6Address", ipv6);
            }
        }
        c.send(c.post(c.url("networks").addPathSegment(require(network)).addPathSegment("connect"),
                EngineClient.jsonBody(body), null)).close();
    }

    /** {@code POST /networks/{id}/disconnect}. */
    public void disconnect(String network, String container, boolean force) {
        ObjectNode body = Json.MAPPER.createObjectNode().put("Container", container).put("Force", force);
        c.send(c.post(c.url("networks").addPathSegment(require(network)).addPathSegment("disconnect"),
                EngineClient.jsonBody(body), null)).close();
    }

    /** {@code POST /networks/prune}. */
    public PruneReport prune(Filters filters) {
        HttpUrl.Builder url = c.url("networks", "prune");
        EngineClient.addFilters(url, filters);
        return c.readJson(c.send(c.post(url, EngineClient.emptyBody(), null)), Json.MAPPER.readerFor(PruneReport.class));
    }

    private static String require(String id) {
        if (id == null || id.isBlank()) {
            throw dev.berth.errors.BerthException.invalid("a network name or ID is required");
        }
        return id;
    }
}
