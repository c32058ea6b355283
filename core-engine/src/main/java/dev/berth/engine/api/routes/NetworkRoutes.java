package dev.berth.engine.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiRequest;
import dev.berth.engine.api.ApiResponse;
import dev.berth.engine.api.Route;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.network.NetworkService;
import dev.berth.errors.BerthException;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The network resource of the Docker API: list, inspect, create, remove, prune, connect, disconnect. */
public final class NetworkRoutes {
    private final NetworkService networks;
    private final ContainerService containers;

    public NetworkRoutes(Engine engine) {
        this.networks = engine.networks();
        this.containers = engine.containers();
    }

    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/networks", (rq, rs) -> rs.json(200, networks.list(Filters.parse(rq.query("filters"))))),
                Route.of("POST", "/networks/create", this::create),
                Route.of("POST", "/networks/prune", (rq, rs) -> {
                    Map<String, Object> answer = new LinkedHashMap<>();
                    answer.put("NetworksDeleted", networks.prune(Filters.parse(rq.query("filters"))));
                    rs.json(200, answer);
                }),
                Route.of("GET", "/networks/{id}", (rq, rs) -> rs.json(200, networks.inspect(rq.pathParam("id")))),
                Route.of("DELETE", "/networks/{id}", (rq, rs) -> {
                    networks.remove(rq.pathParam("id"));
                    rs.empty(204);
                }),
                Route.of("POST", "/networks/{id}/connect", (rq, rs) -> {
                    JsonNode body = body(rq);
                    String network = networks.resolve(rq.pathParam("id")).name();
                    containers.connectNetwork(network, container(body), body.path("EndpointConfig"));
                    rs.empty(200);
                }),
                Route.of("POST", "/networks/{id}/disconnect", (rq, rs) -> {
                    JsonNode body = body(rq);
                    String ref = rq.pathParam("id");
                    String network;
                    try {
                        network = networks.resolve(ref).name();
                    } catch (BerthException e) {
                        if (!body.path("Force").asBoolean(false)) {
                            throw e;
                        }
                        network = ref;
                    }
                    containers.disconnectNetwork(network, container(body), body.path("Force").asBoolean(false));
                    rs.empty(200);
                }));
    }

    private void create(ApiRequest rq, ApiResponse rs) throws IOException {
        JsonNode body = body(rq);
        BodyShape.checkNetworkCreate(body);
        NetworkService.Created c = networks.create(body);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Id", c.id());
        answer.put("Warning", c.warning());
        rs.json(201, answer);
    }

    private static JsonNode body(ApiRequest rq) {
        JsonNode body = rq.bodyAs(JsonNode.class);
        if (body == null || !body.isObject()) {
            throw BerthException.invalid("the request body must be a JSON object");
        }
        return body;
    }

    private static String container(JsonNode body) {
        String c = body.path("Container").asText("");
        if (c.isEmpty()) {
            throw BerthException.invalid("a container is required");
        }
        return c;
    }
}
