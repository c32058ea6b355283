package dev.berth.engine.api.routes;

import dev.berth.engine.Engine;
import dev.berth.engine.api.ApiRequest;
import dev.berth.engine.api.ApiResponse;
import dev.berth.engine.api.Route;
import dev.berth.engine.containers.ArchiveService;
import dev.berth.engine.containers.ChangesReader;
import dev.berth.engine.containers.Committer;
import dev.berth.engine.containers.ContainerRecord;
import dev.berth.engine.containers.ContainerService;
import dev.berth.engine.containers.ProcessLister;
import dev.berth.engine.containers.StatsSampler;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** Looking into containers: stats, top, changes (diff), archive (cp), export, and commit. */
public final class ContainerInspectRoutes {
    /** moby's stats collector interval, and the gap between the two readings of {@code stream=false}. */
    static final long STATS_INTERVAL_MS = 1000;

    private final ContainerService containers;
    private final StatsSampler stats = StatsSampler.forHost();
    private final ProcessLister processes = ProcessLister.forHost();
    private final ArchiveService archives;
    private final Committer committer;

    public ContainerInspectRoutes(Engine engine) {
        this.containers = engine.containers();
        this.archives = new ArchiveService(containers);
        this.committer = new Committer(containers, engine.images());
    }

    public List<Route> routes() {
        return List.of(
                Route.of("GET", "/containers/{id}/stats", this::stats),
                Route.of("GET", "/containers/{id}/top", this::top),
                Route.of("GET", "/containers/{id}/changes", (rq, rs) -> rs.json(200, containers.withRootFs(rq.pathParam("id"), false,
                        (r, rootfs, lowers) -> new ChangesReader(rootfs.upper(), lowers).read().stream()
                                .map(ChangesReader.Change::toJson).toList()))),
                Route.of("GET", "/containers/{id}/archive", this::getArchive),
                Route.of("PUT", "/containers/{id}/archive", (rq, rs) -> {
                    archives.put(rq.pathParam("id"), rq.query("path"), rq.queryBool("noOverwriteDirNonDir"),
                            rq.queryBool("copyUIDGID"), rq.body());
                    rs.empty(200);
                }),
                Route.of("GET", "/containers/{id}/export", (rq, rs) -> archives.export(rq.pathParam("id"), () -> {
                    try {
                        return rs.stream(200, "application/x-tar");
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })),
                Route.of("POST", "/commit", this::commit));
    }

    private void getArchive(ApiRequest rq, ApiResponse rs) throws IOException {
        String id = rq.pathParam("id");
        String path = rq.query("path");
        if (rq.method().equals("HEAD")) {
            ArchiveService.PathStat stat = archives.stat(id, path);
            rs.header("X-Docker-Container-Path-Stat", stat.header());
            rs.empty(200);
            return;
        }
        archives.get(id, path, stat -> {
            rs.header("X-Docker-Container-Path-Stat", stat.header());
            return rs.stream(200, "application/x-tar");
        });
    }

    private void top(ApiRequest rq, ApiResponse rs) throws IOException {
        ContainerRecord r = containers.resolve(rq.pathParam("id"));
        if (!r.running()) {
            throw new BerthException(ErrorCategory.CONFLICT, "Container " + r.id() + " is not running");
        }
        rs.json(200, processes.top(r.pid(), rq.query("ps_args")).toJson());
    }

    /**
     * One reading per second until the container stops or the client goes; {@code stream=false} waits
     * for a second reading so CPU % has a base, and {@code one-shot} skips that wait, as in moby.
     */
    private void stats(ApiRequest rq, ApiResponse rs) throws IOException {
        ContainerRecord r = containers.resolve(rq.pathParam("id"));
        boolean stream = rq.query("stream") == null || rq.queryBool("stream");
        boolean oneShot = rq.queryBool("one-shot");
        if (!r.running()) {
            rs.json(200, StatsSampler.toJson(r.id(), r.name(), null, null));
            return;
        }
        if (!stream) {
            StatsSampler.Sample pre = oneShot ? null : stats.sample(r.pid());
            if (!oneShot) {
                sleep(STATS_INTERVAL_MS);
            }
            rs.json(200, StatsSampler.toJson(r.id(), r.name(), stats.sample(r.pid()), pre));
            return;
        }
        try (OutputStream out = rs.stream(200, "application/json")) {
            StatsSampler.Sample pre = null;
            while (stillRunning(r)) {
                StatsSampler.Sample cur = stats.sample(r.pid());
                Map<String, Object> frame = StatsSampler.toJson(r.id(), r.name(), cur, pre);
                out.write(Json.MAPPER.writeValueAsBytes(frame));
                out.write('\n');
                out.flush();
                pre = cur;
                sleep(STATS_INTERVAL_MS);
            }
        } catch (IOException gone) {
            // The client stopped reading (docker stats was closed): nobody is left to tell.
        }
    }

    private boolean stillRunning(ContainerRecord r) {
        try {
            ContainerRecord now = containers.resolve(r.id());
            return now.running() && now.pid() == r.pid();
        } catch (BerthException removed) {
            return false;
        }
    }

    private static void sleep(long ms) throws IOException {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }

    private void commit(ApiRequest rq, ApiResponse rs) throws IOException {
        String container = rq.query("container");
        if (container == null || container.isEmpty()) {
            throw BerthException.notFound("No such container: ");
        }
        // Docker pauses a running container while it reads its changes (pause=true by default), and
        // leaves one that was already paused paused.
        String pauseParam = rq.query("pause");
        boolean pause = pauseParam == null || pauseParam.isEmpty() || pauseParam.equals("1") || pauseParam.equalsIgnoreCase("true");
        boolean paused = false;
        if (pause) {
            try {
                containers.pause(container);
                paused = true;
            } catch (BerthException e) {
                if (e.category() != ErrorCategory.CONFLICT) {
                    throw e;
                }
                // Not running, or already paused: committed as it is.
            }
        }
        Digest id;
        try {
            id = committer.commit(new Committer.Request(container, rq.query("repo"), rq.query("tag"),
                    rq.query("comment"), rq.query("author"), rq.queryAll("changes")));
        } finally {
            if (paused) {
                containers.unpause(container);
            }
        }
        rs.json(201, Map.of("Id", id.toString()));
    }
}
