package dev.berth.engine.client;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.client.model.ContainerCreateResponse;
import dev.berth.engine.client.model.ContainerSummary;
import dev.berth.engine.client.model.ContainerTop;
import dev.berth.engine.client.model.ContainerWaitResponse;
import dev.berth.engine.client.model.FilesystemChange;
import dev.berth.engine.client.model.PathStat;
import dev.berth.engine.client.model.PruneReport;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/**
 * The container and exec endpoints of the Docker API, as moby's {@code api/swagger.yaml} names them.
 * Bodies the caller builds ({@code create}, {@code exec create}, {@code commit}'s config) are JSON
 * trees, so nothing an engine accepts is lost to a model that lags behind it. Obtained from
 * {@link EngineClient#containers()}.
 */
public final class ContainerClient {

    private final EngineClient c;

    ContainerClient(EngineClient client) {
        this.c = client;
    }

    // ---------------------------------------------------------------- lifecycle

    /** {@code POST /containers/create}. */
    public ContainerCreateResponse create(String name, String platform, JsonNode body) {
        HttpUrl.Builder url = c.url("containers", "create");
        if (name != null && !name.isEmpty()) {
            url.addQueryParameter("name", name);
        }
        if (platform != null && !platform.isEmpty()) {
            url.addQueryParameter("platform", platform);
        }
        return c.readJson(c.send(c.post(url, EngineClient.jsonBody(body), null)),
                Json.MAPPER.readerFor(ContainerCreateResponse.class));
    }

    /** {@code POST /containers/{id}/start}; false when it was already running (304). */
    public boolean start(String id) {
        return noContent(c.post(c.url("containers", require(id), "start"), EngineClient.emptyBody(), null));
    }

    /** {@code POST /containers/{id}/stop}; false when it was not running (304). */
    public boolean stop(String id, Integer timeoutSeconds, String signal) {
        HttpUrl.Builder url = c.url("containers", require(id), "stop");
        timeoutAndSignal(url, timeoutSeconds, signal);
        return noContent(c.post(url, EngineClient.emptyBody(), null));
    }

    /** {@code POST /containers/{id}/restart}. */
    public void restart(String id, Integer timeoutSeconds, String signal) {
        HttpUrl.Builder url = c.url("containers", require(id), "restart");
        timeoutAndSignal(url, timeoutSeconds, signal);
        noContent(c.post(url, EngineClient.emptyBody(), null));
    }

    /** {@code POST /containers/{id}/kill}; {@code signal} null for the engine's default (SIGKILL). */
    public void kill(String id, String signal) {
        HttpUrl.Builder url = c.url("containers", require(id), "kill");
        if (signal != null && !signal.isEmpty()) {
            url.addQueryParameter("signal", signal);
        }
        noContent(c.post(url, EngineClient.emptyBody(), null));
    }

    /** {@code POST /containers/{id}/pause}. */
    public void pause(String id) {
        noContent(c.post(c.url("containers", require(id), "pause"), EngineClient.emptyBody(), null));
    }

    /** {@code POST /containers/{id}/unpause}. */
    public void unpause(String id) {
        noContent(c.post(c.url("containers", require(id), "unpause"), EngineClient.emptyBody(), null));
    }

    /** {@code POST /containers/{id}/rename?name=}. */
    public void rename(String id, String newName) {
        noContent(c.post(c.url("containers", require(id), "rename").addQueryParameter("name", newName),
                EngineClient.emptyBody(), null));
    }

    /** {@code DELETE /containers/{id}}. */
    public void remove(String id, boolean force, boolean volumes, boolean link) {
        HttpUrl.Builder url = c.url("containers", require(id));
        if (force) {
            url.addQueryParameter("force", "1");
        }
        if (volumes) {
            url.addQueryParameter("v", "1");
        }
        if (link) {
            url.addQueryParameter("link", "1");
        }
        noContent(c.delete(url));
    }

    /** {@code POST /containers/prune}. */
    public PruneReport prune(Filters filters) {
        HttpUrl.Builder url = c.url("containers", "prune");
        EngineClient.addFilters(url, filters);
        return c.readJson(c.send(c.post(url, EngineClient.emptyBody(), null)), Json.MAPPER.readerFor(PruneReport.class));
    }

    /** {@code POST /containers/{id}/wait}, blocking until the condition is met. */
    public ContainerWaitResponse waitFor(String id, String condition) {
        try (PendingWait wait = startWait(id, condition)) {
            return wait.result();
        }
    }

    /**
     * Sends {@code POST /containers/{id}/wait} and returns once the engine has answered with its
     * headers, so the wait is registered before the caller starts the container (as {@code docker
     * run} does to never miss a quick exit).
     */
    public PendingWait startWait(String id, String condition) {
        HttpUrl.Builder url = c.url("containers", require(id), "wait");
        if (condition != null && !condition.isEmpty()) {
            url.addQueryParameter("condition", condition);
        }
        Call call = c.http().newCall(c.post(url, EngineClient.emptyBody(), null));
        return new PendingWait(call, c.send(call));
    }

    /** A wait whose answer has not come yet. */
    public final class PendingWait implements AutoCloseable {
        private final Call call;
        private final Response response;

        private PendingWait(Call call, Response response) {
            this.call = call;
            this.response = response;
        }

        /** Blocks until the engine sends the exit status. */
        public ContainerWaitResponse result() {
            return c.readJson(response, Json.MAPPER.readerFor(ContainerWaitResponse.class));
        }

        /** The exit status if the engine sends it within {@code timeout}; {@link #close} ends the wait otherwise. */
        public java.util.Optional<ContainerWaitResponse> result(java.time.Duration timeout) throws InterruptedException {
            java.util.concurrent.CompletableFuture<ContainerWaitResponse> answer = new java.util.concurrent.CompletableFuture<>();
            Thread.ofVirtual().name("berth-wait").start(() -> {
                try {
                    answer.complete(result());
                } catch (Throwable t) {
                    answer.completeExceptionally(t);
                }
            });
            try {
                return java.util.Optional.of(answer.get(timeout.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS));
            } catch (java.util.concurrent.TimeoutException e) {
                return java.util.Optional.empty();
            } catch (java.util.concurrent.ExecutionException e) {
                throw e.getCause() instanceof RuntimeException re ? re : new IllegalStateException(e.getCause());
            }
        }

        @Override
        public void close() {
            call.cancel();
            response.close();
        }
    }

    // ---------------------------------------------------------------- lookups

    /** {@code GET /containers/json}; {@code limit} 0 or less for no limit. */
    public List<ContainerSummary> list(boolean all, int limit, boolean size, Filters filters) {
        return Json.MAPPER.convertValue(readTree(listRaw(all, limit, size, filters)),
                Json.MAPPER.getTypeFactory().constructCollectionType(List.class, ContainerSummary.class));
    }

    /** {@code GET /containers/json} as the engine sent it. */
    public byte[] listRaw(boolean all, int limit, boolean size, Filters filters) {
        HttpUrl.Builder url = c.url("containers", "json");
        if (all) {
            url.addQueryParameter("all", "1");
        }
        if (limit > 0) {
            url.addQueryParameter("limit", Integer.toString(limit));
        }
        if (size) {
            url.addQueryParameter("size", "1");
        }
        EngineClient.addFilters(url, filters);
        return c.getBytes(url);
    }

    /** {@code GET /containers/{id}/json} as a tree. */
    public JsonNode inspect(String id) {
        return readTree(inspectRaw(id, false));
    }

    /** {@code GET /containers/{id}/json} as the engine sent it. */
    public byte[] inspectRaw(String id, boolean size) {
        HttpUrl.Builder url = c.url("containers", require(id), "json");
        if (size) {
            url.addQueryParameter("size", "1");
        }
        return c.getBytes(url);
    }

    /** {@code GET /containers/{id}/top}. */
    public ContainerTop top(String id, String psArgs) {
        HttpUrl.Builder url = c.url("containers", require(id), "top");
        if (psArgs != null && !psArgs.isEmpty()) {
            url.addQueryParameter("ps_args", psArgs);
        }
        return c.getJson(url, Json.MAPPER.readerFor(ContainerTop.class));
    }

    /** {@code GET /containers/{id}/changes}. */
    public List<FilesystemChange> changes(String id) {
        byte[] raw = c.getBytes(c.url("containers", require(id), "changes"));
        JsonNode tree = readTree(raw);
        if (tree.isNull()) {
            return List.of(); // moby sends null for no changes
        }
        return Json.MAPPER.convertValue(tree,
                Json.MAPPER.getTypeFactory().constructCollectionType(List.class, FilesystemChange.class));
    }

    /**
     * {@code GET /containers/{id}/stats}: one JSON object per second while {@code stream}, else one
     * ({@code one-shot} skips the second sample the CPU figures need).
     */
    public MessageStream<JsonNode> stats(String id, boolean stream, boolean oneShot) {
        HttpUrl.Builder url = c.url("containers", require(id), "stats").addQueryParameter("stream", stream ? "1" : "0");
        if (oneShot) {
            url.addQueryParameter("one-shot", "1");
        }
        Call call = c.http().newCall(c.get(url));
        return c.stream(call, c.send(call), JsonNode.class, n -> null);
    }

    // ---------------------------------------------------------------- logs, attach, exec

    /** What {@code GET /containers/{id}/logs} should send. */
    public record LogsOptions(boolean stdout, boolean stderr, boolean follow, boolean timestamps, String since,
                              String until, String tail, boolean details) {
        public static LogsOptions all() {
            return new LogsOptions(true, true, false, false, null, null, null, false);
        }
    }

    /**
     * {@code GET /containers/{id}/logs}: multiplexed unless the container has a TTY (see
     * {@link StdStreams}). Close the stream to stop following.
     */
    public InputStream logs(String id, LogsOptions o) {
        HttpUrl.Builder url = c.url("containers", require(id), "logs");
        url.addQueryParameter("stdout", o.stdout() ? "1" : "0");
        url.addQueryParameter("stderr", o.stderr() ? "1" : "0");
        if (o.follow()) {
            url.addQueryParameter("follow", "1");
        }
        if (o.timestamps()) {
            url.addQueryParameter("timestamps", "1");
        }
        if (o.details()) {
            url.addQueryParameter("details", "1");
        }
        if (o.since() != null && !o.since().isEmpty()) {
            url.addQueryParameter("since", o.since());
        }
        if (o.until() != null && !o.until().isEmpty()) {
            url.addQueryParameter("until", o.until());
        }
        if (o.tail() != null && !o.tail().isEmpty()) {
            url.addQueryParameter("tail", o.tail());
        }
        return body(c.http().newCall(c.get(url)));
    }

    /** {@code POST /containers/{id}/attach}, hijacked. */
    public HijackedConnection attach(String id, boolean stdin, boolean stdout, boolean stderr, boolean logs,
                                     String detachKeys) {
        HttpUrl.Builder url = c.url("containers", require(id), "attach").addQueryParameter("stream", "1");
        if (stdin) {
            url.addQueryParameter("stdin", "1");
        }
        if (stdout) {
            url.addQueryParameter("stdout", "1");
        }
        if (stderr) {
            url.addQueryParameter("stderr", "1");
        }
        if (logs) {
            url.addQueryParameter("logs", "1");
        }
        if (detachKeys != null && !detachKeys.isEmpty()) {
            url.addQueryParameter("detachKeys", detachKeys);
        }
        return HijackedConnection.open(c, "POST", pathAndQuery(url), null);
    }

    /** {@code POST /containers/{id}/resize}. */
    public void resize(String id, int height, int width) {
        noContent(c.post(c.url("containers", require(id), "resize").addQueryParameter("h", Integer.toString(height))
                .addQueryParameter("w", Integer.toString(width)), EngineClient.emptyBody(), null));
    }

    /** {@code POST /containers/{id}/exec}: the body is swagger's {@code ExecConfig}; returns the exec's ID. */
    public String execCreate(String id, JsonNode execConfig) {
        return c.<ContainerCreateResponse>readJson(c.send(c.post(c.url("containers", require(id), "exec"),
                EngineClient.jsonBody(execConfig), null)), Json.MAPPER.readerFor(ContainerCreateResponse.class)).id();
    }

    /** {@code POST /exec/{id}/start} detached: returns once the process has started. */
    public void execStartDetached(String execId, boolean tty) {
        noContent(c.post(c.url("exec", require(execId), "start"),
                EngineClient.jsonBody(Json.MAPPER.createObjectNode().put("Detach", true).put("Tty", tty)), null));
    }

    /** {@code POST /exec/{id}/start}, hijacked: the process's stdio. */
    public HijackedConnection execStart(String execId, boolean tty) {
        HttpUrl.Builder url = c.url("exec", require(execId), "start");
        byte[] body;
        try {
            body = Json.MAPPER.writeValueAsBytes(Json.MAPPER.createObjectNode().put("Detach", false).put("Tty", tty));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        return HijackedConnection.open(c, "POST", pathAndQuery(url), body);
    }

    /** {@code GET /exec/{id}/json}: {@code Running}, {@code ExitCode}, {@code Pid}, ... */
    public JsonNode execInspect(String execId) {
        return readTree(c.getBytes(c.url("exec", require(execId), "json")));
    }

    /** {@code POST /exec/{id}/resize}. */
    public void execResize(String execId, int height, int width) {
        noContent(c.post(c.url("exec", require(execId), "resize").addQueryParameter("h", Integer.toString(height))
                .addQueryParameter("w", Integer.toString(width)), EngineClient.emptyBody(), null));
    }

    // ---------------------------------------------------------------- files and images

    /** What {@code GET /containers/{id}/archive} returns: the path's stat and a tar of it. */
    public record Archive(PathStat stat, InputStream tar) implements AutoCloseable {
        @Override
        public void close() throws IOException {
            tar.close();
        }
    }

    /** {@code GET /containers/{id}/archive?path=}. */
    public Archive archive(String id, String path) {
        Call call = c.http().newCall(c.get(c.url("containers", require(id), "archive").addQueryParameter("path", path)));
        Response response = c.send(call);
        PathStat stat = decodeStat(response.header("X-Docker-Container-Path-Stat"));
        return new Archive(stat, wrap(call, response));
    }

    /** {@code HEAD /containers/{id}/archive?path=}: the stat alone. */
    public PathStat statPath(String id, String path) {
        Request head = new Request.Builder().url(c.url("containers", require(id), "archive").addQueryParameter("path", path).build())
                .header("User-Agent", c.userAgent()).head().build();
        try (Response response = c.send(head)) {
            return decodeStat(response.header("X-Docker-Container-Path-Stat"));
        }
    }

    /** {@code PUT /containers/{id}/archive?path=}: unpacks {@code tar} (left open) into the directory {@code path}. */
    public void putArchive(String id, String path, InputStream tar, boolean noOverwriteDirNonDir, boolean copyUidGid) {
        HttpUrl.Builder url = c.url("containers", require(id), "archive").addQueryParameter("path", path);
        if (noOverwriteDirNonDir) {
            url.addQueryParameter("noOverwriteDirNonDir", "true");
        }
        if (copyUidGid) {
            url.addQueryParameter("copyUIDGID", "true");
        }
        RequestBody body = new TarUpload(tar);
        c.send(c.put(url, body)).close();
    }

    /** {@code GET /containers/{id}/export}: the root filesystem as a tar, which the caller closes. */
    public InputStream export(String id) {
        return body(c.http().newCall(c.get(c.url("containers", require(id), "export"))));
    }

    /**
     * {@code POST /commit}: a new image from the container's changes.
     *
     * @param changes Dockerfile instructions ({@code CMD ...}), applied to the config
     * @param config  a container config to merge, or null
     * @return the new image's ID
     */
    public String commit(String id, String repo, String tag, String comment, String author, boolean pause,
                         List<String> changes, JsonNode config) {
        HttpUrl.Builder url = c.url("commit").addQueryParameter("container", require(id));
        if (repo != null && !repo.isEmpty()) {
            url.addQueryParameter("repo", repo);
        }
        if (tag != null && !tag.isEmpty()) {
            url.addQueryParameter("tag", tag);
        }
        if (comment != null && !comment.isEmpty()) {
            url.addQueryParameter("comment", comment);
        }
        if (author != null && !author.isEmpty()) {
            url.addQueryParameter("author", author);
        }
        url.addQueryParameter("pause", pause ? "1" : "0");
        for (String change : changes) {
            url.addQueryParameter("changes", change);
        }
        RequestBody body = config == null ? EngineClient.jsonBody(Json.MAPPER.createObjectNode()) : EngineClient.jsonBody(config);
        return c.<ContainerCreateResponse>readJson(c.send(c.post(url, body, null)),
                Json.MAPPER.readerFor(ContainerCreateResponse.class)).id();
    }

    // ---------------------------------------------------------------- plumbing

    private boolean noContent(Request request) {
        try (Response response = c.send(request)) {
            return response.code() != 304;
        }
    }

    private static void timeoutAndSignal(HttpUrl.Builder url, Integer timeoutSeconds, String signal) {
        if (timeoutSeconds != null) {
            url.addQueryParameter("t", Integer.toString(timeoutSeconds));
        }
        if (signal != null && !signal.isEmpty()) {
            url.addQueryParameter("signal", signal);
        }
    }

    private InputStream body(Call call) {
        return wrap(call, c.send(call));
    }

    private static InputStream wrap(Call call, Response response) {
        return new FilterInputStream(response.body().byteStream()) {
            @Override
            public void close() {
                // Cancelling first makes a close from another thread wake a blocked reader.
                call.cancel();
                response.close();
            }
        };
    }

    static String pathAndQuery(HttpUrl.Builder url) {
        HttpUrl u = url.build();
        return u.encodedPath() + (u.encodedQuery() == null ? "" : "?" + u.encodedQuery());
    }

    static String require(String id) {
        if (id == null || id.isBlank()) {
            throw BerthException.invalid("a container name or ID is required");
        }
        return id;
    }

    static JsonNode readTree(byte[] raw) {
        try {
            return Json.MAPPER.readTree(raw);
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.SYSTEM, "unreadable answer from the engine: " + e.getMessage(), e);
        }
    }

    static PathStat decodeStat(String header) {
        if (header == null || header.isEmpty()) {
            return null;
        }
        try {
            byte[] json = Base64.getDecoder().decode(header.strip());
            return Json.MAPPER.readValue(new String(json, StandardCharsets.UTF_8), PathStat.class);
        } catch (IllegalArgumentException | IOException e) {
            throw new BerthException(ErrorCategory.SYSTEM, "unreadable path stat from the engine: " + e.getMessage(), e);
        }
    }

    /** {@code POST /containers/{id}/update}: Resources fields and RestartPolicy; returns the engine's warnings. */
    public List<String> update(String id, JsonNode body) {
        JsonNode answer = c.readJson(c.send(c.post(c.url("containers", require(id), "update"), EngineClient.jsonBody(body), null)),
                Json.MAPPER.readerFor(JsonNode.class));
        List<String> warnings = new java.util.ArrayList<>();
        answer.path("Warnings").forEach(w -> warnings.add(w.asText()));
        return warnings;
    }
}
