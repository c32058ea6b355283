package dev.berth.engine.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiRequest;
import dev.berth.engine.api.ApiResponse;
import dev.berth.engine.api.Route;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.logs.LogOptions;
import dev.berth.images.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** The container resource of the Docker API; attach, resize and exec are in {@link ExecRoutes}. */
public final class ContainerRoutes {
    private final ContainerService containers;

    public ContainerRoutes(Engine engine) {
        this.containers = engine.containers();
    }

    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/containers/json", this::list),
                Route.of("POST", "/containers/create", this::create),
                Route.of("POST", "/containers/prune", (rq, rs) -> rs.json(200,
                        dev.berth.engine.containers.ContainerPruner.prune(containers, Filters.parse(rq.query("filters"))))),
                Route.of("GET", "/containers/{id}/json", (rq, rs) -> rs.json(200, containers.inspect(rq.pathParam("id")))),
                Route.of("POST", "/containers/{id}/start", (rq, rs) -> rs.empty(containers.start(rq.pathParam("id")) ? 204 : 304)),
                Route.of("POST", "/containers/{id}/stop", this::stop),
                Route.of("POST", "/containers/{id}/kill", (rq, rs) -> {
                    containers.kill(rq.pathParam("id"), rq.query("signal"));
                    rs.empty(204);
                }),
                Route.of("POST", "/containers/{id}/wait", this::await),
                Route.of("GET", "/containers/{id}/logs", this::logs),
                Route.of("DELETE", "/containers/{id}", (rq, rs) -> {
                    containers.remove(rq.pathParam("id"), rq.queryBool("force"), rq.queryBool("v"));
                    rs.empty(204);
                }),
                Route.of("POST", "/containers/{id}/restart", (rq, rs) -> {
                    containers.restart(rq.pathParam("id"), stopTimeout(rq), rq.query("signal"));
                    rs.empty(204);
                }),
                Route.of("POST", "/containers/{id}/pause", (rq, rs) -> {
                    containers.pause(rq.pathParam("id"));
                    rs.empty(204);
                }),
                Route.of("POST", "/containers/{id}/unpause", (rq, rs) -> {
                    containers.unpause(rq.pathParam("id"));
                    rs.empty(204);
                }),
                Route.of("POST", "/containers/{id}/rename", (rq, rs) -> {
                    containers.rename(rq.pathParam("id"), rq.query("name"));
                    rs.empty(204);
                }),
                Route.of("POST", "/containers/{id}/update", (rq, rs) ->
                        rs.json(200, Map.of("Warnings", containers.update(rq.pathParam("id"), rq.bodyAs(JsonNode.class))))));
    }

    private void create(ApiRequest rq, ApiResponse rs) throws IOException {
        JsonNode body = rq.bodyAs(JsonNode.class);
        BodyShape.checkContainerCreate(body);
        ContainerService.Created c = containers.create(rq.query("name"), body, rq.query("platform"));
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("Id", c.id());
        answer.put("Warnings", c.warnings());
        rs.json(201, answer);
    }

    private void stop(ApiRequest rq, ApiResponse rs) throws Exception {
        rs.empty(containers.stop(rq.pathParam("id"), stopTimeout(rq), rq.query("signal")) ? 204 : 304);
    }

    /** {@code t}: seconds before SIGKILL; absent means the container's StopTimeout (or 10). */
    private static Integer stopTimeout(ApiRequest rq) {
        String t = rq.query("t");
        return t == null || t.isEmpty() ? null : rq.queryInt("t", 0);
    }

    /**
     * Headers go out at once: the docker CLI waits for them before it starts the container (run) or
     * reports anything, so holding them until the exit would deadlock {@code docker run}.
     */
    private void await(ApiRequest rq, ApiResponse rs) throws IOException {
        CompletableFuture<Integer> exit = containers.waitFor(rq.pathParam("id"),
                ContainerService.WaitCondition.parse(rq.query("condition")));
        OutputStream out = rs.stream(200, "application/json");
        Map<String, Object> answer = new LinkedHashMap<>();
        try {
            answer.put("StatusCode", exit.get());
            answer.put("Error", null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.put("StatusCode", -1);
            answer.put("Error", Map.of("Message", "interrupted"));
        } catch (ExecutionException e) {
            answer.put("StatusCode", -1);
            answer.put("Error", Map.of("Message", String.valueOf(e.getCause().getMessage())));
        }
        try (out) {
            out.write(Json.MAPPER.writeValueAsBytes(answer));
            out.write('\n');
        } catch (IOException gone) {
            // The client hung up first: docker run -d opens a wait it never reads. Nobody is left to tell.
        }
    }

    private void logs(ApiRequest rq, ApiResponse rs) throws IOException {
        LogOptions options = LogOptions.fromQuery(rq.queries());
        String id = rq.pathParam("id");
        ContainerService.LogTarget target = containers.logs(id, options);
        String type = containers.tty(id) ? "application/vnd.docker.raw-stream" : "application/vnd.docker.multiplexed-stream";
        try (OutputStream out = rs.stream(200, type)) {
            target.stream(out);
        }
    }

    private void list(ApiRequest rq, ApiResponse rs) throws Exception {
        var filters = Filters.parse(rq.query("filters"));
        int limit = rq.queryInt("limit", 0);
        boolean all = dev.berth.engine.containers.ContainerListQuery.includesStopped(rq.queryBool("all"), limit, filters);
        rs.json(200, containers.list(all, limit, filters));
    }
}
