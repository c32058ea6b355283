package dev.berth.engine.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiRequest;
import dev.berth.engine.api.ApiResponse;
import dev.berth.engine.api.ApiVersion;
import dev.berth.engine.api.HijackedStream;
import dev.berth.engine.api.Route;
import dev.berth.engine.containers.ContainerAttach;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.ExecService;
import dev.berth.images.Json;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Attach, resize and exec: the Docker API endpoints that hijack the connection or drive a terminal.
 * Hijacked streams are multiplexed without a TTY and raw with one.
 */
public final class ExecRoutes {
    private final ContainerService containers;
    private final ContainerAttach attach;
    private final ExecService execs;

    public ExecRoutes(Engine engine) {
        this.containers = engine.containers();
        this.attach = containers.attacher();
        this.execs = containers.execs();
    }

    public List<Route> routes() {
        return List.of(
                Route.of("POST", "/containers/{id}/attach", this::attach),
                Route.of("POST", "/containers/{id}/resize", (rq, rs) -> {
                    attach.resize(rq.pathParam("id"), rq.queryInt("h", 0), rq.queryInt("w", 0));
                    rs.empty(200);
                }),
                Route.of("POST", "/containers/{id}/exec", (rq, rs) ->
                        rs.json(201, Map.of("Id", execs.create(rq.pathParam("id"), BodyShape.execCreate(rq.bodyAs(JsonNode.class)))))),
                Route.of("POST", "/exec/{id}/start", this::execStart),
                Route.of("POST", "/exec/{id}/resize", (rq, rs) -> {
                    execs.resize(rq.pathParam("id"), rq.queryInt("h", 0), rq.queryInt("w", 0));
                    rs.empty(200);
                }),
                Route.of("GET", "/exec/{id}/json", (rq, rs) -> rs.json(200, execs.inspect(rq.pathParam("id")))));
    }

    /** moby: multiplexed-stream names the framing from API 1.42 on; raw-stream before, and with a TTY. */
    private static String streamType(ApiRequest rq, boolean tty) {
        return !tty && rq.version().compareTo(ApiVersion.parse("1.42")) >= 0
                ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream";
    }

    /**
     * Everything that can fail as an HTTP error (unknown container, bad detach keys) is checked before
     * the hijack. The stream then ends when the container exits, the client detaches (the container
     * keeps running) or the client goes away; {@code docker run} reads the exit code from wait.
     */
    private void attach(ApiRequest rq, ApiResponse rs) throws IOException {
        ContainerAttach.Plan plan = attach.plan(rq.pathParam("id"), new ContainerAttach.Request(
                rq.queryBool("stdin"), rq.queryBool("stdout"), rq.queryBool("stderr"), rq.queryBool("stream"),
                rq.queryBool("logs"), rq.query("detachKeys")));
        HijackedStream conn = rs.hijack(streamType(rq, plan.tty()));
        try {
            plan.run(conn.in(), conn.out(), conn::isOpen, conn::close);
        } catch (IOException gone) {
            // The client hung up while the log was replayed: nobody is left to tell.
        } finally {
            conn.close();
        }
    }

    private void execStart(ApiRequest rq, ApiResponse rs) throws IOException {
        byte[] raw = rq.body().readAllBytes();
        JsonNode body;
        try {
            body = raw.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw dev.berth.errors.BerthException.invalid("invalid JSON in request body: " + Json.describe(e));
        }
        ExecService.Start start = execs.start(rq.pathParam("id"), body);
        if (body.path("Detach").asBoolean(false)) {
            start.detached();
            rs.empty(200);
            return;
        }
        HijackedStream conn = rs.hijack(streamType(rq, start.tty()));
        try {
            start.attached(conn.in(), conn.out(), conn::isOpen, conn::close);
        } catch (IOException | RuntimeException e) {
            try {
                conn.out().write((e.getMessage() + "\r\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            } catch (IOException gone) {
                // Nobody is left to tell.
            }
        } finally {
            conn.close();
        }
    }
}
