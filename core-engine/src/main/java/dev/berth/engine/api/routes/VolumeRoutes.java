package dev.berth.engine.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiRequest;
import dev.berth.engine.api.ApiResponse;
import dev.berth.engine.api.Route;
import dev.berth.engine.volumes.VolumeService;
import dev.berth.errors.BerthException;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The volume resource of the Docker API. */
public final class VolumeRoutes {
    private final VolumeService volumes;

    public VolumeRoutes(Engine engine) {
        this.volumes = engine.volumes();
    }

    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/volumes", (rq, rs) -> rs.json(200, volumes.list(Filters.parse(rq.query("filters"))))),
                Route.of("POST", "/volumes/create", this::create),
                Route.of("POST", "/volumes/prune", this::prune),
                Route.of("GET", "/volumes/{name}", (rq, rs) -> rs.json(200, volumes.inspect(rq.pathParam("name")))),
                Route.of("DELETE", "/volumes/{name}", (rq, rs) -> {
                    volumes.remove(rq.pathParam("name"), rq.queryBool("force"));
                    rs.empty(204);
                }));
    }

    private void create(ApiRequest rq, ApiResponse rs) throws IOException {
        JsonNode body = rq.bodyAs(JsonNode.class);
        if (body == null || body.isNull() || body.isMissingNode()) {
            body = com.fasterxml.jackson.databind.node.NullNode.getInstance();
        }
        BodyShape.checkVolumeCreate(body);
        if (body.has("ClusterVolumeSpec") && !body.get("ClusterVolumeSpec").isNull()) {
            throw BerthException.invalid("cluster volumes need swarm, which Berth does not run");
        }
        rs.json(201, volumes.create(body.path("Name").asText(""), body.path("Driver").asText(""),
                strings(body.path("Labels")), strings(body.path("DriverOpts"))));
    }

    /** API before 1.42 pruned every unused volume; from 1.42 only anonymous ones unless all=true. */
    private void prune(ApiRequest rq, ApiResponse rs) throws IOException {
        Map<String, List<String>> filters = Filters.parse(rq.query("filters"));
        if (!rq.version().atLeast(1, 42)) {
            filters.put("all", new ArrayList<>(List.of("true")));
        }
        rs.json(200, volumes.prune(filters));
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n != null && n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }
}
