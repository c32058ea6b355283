package dev.berth.engine.client;

import dev.berth.engine.client.model.JsonMessage;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * {@code POST /build} (the classic builder protocol, as the docker CLI sends it with
 * {@code DOCKER_BUILDKIT=0}) and {@code POST /build/prune}. Obtained from {@link EngineClient#builds()}.
 */
public final class BuildClient {
    private final EngineClient c;

    BuildClient(EngineClient client) {
        this.c = client;
    }

    /**
     * The query of one build. Null or empty values are left out of the query.
     *
     * @param buildArgs a null value means "declared without a value" ({@code --build-arg X} with X unset)
     */
    public record Options(List<String> tags, String dockerfile, Map<String, String> buildArgs, Map<String, String> labels,
                          String target, boolean noCache, boolean pull, boolean quiet, boolean remove, boolean forceRemove,
                          String platform, String networkMode) {
    }

    /** An {@code errorDetail} line of a build stream, with docker's exit status (its code, else 1). */
    public static final class BuildFailed extends BerthException {
        private final int code;

        BuildFailed(int code, String message) {
            super(dev.berth.errors.ErrorCategory.SYSTEM, message);
            this.code = code;
        }

        public int exitCode() {
            return code;
        }
    }

    /**
     * Sends the context tar from {@code context} (read to its end, left open) and streams the
     * builder's messages. {@code sent} hears the running count of bytes sent.
     */
    public MessageStream<JsonMessage> build(InputStream context, Options o, String registryConfig, LongConsumer sent) {
        HttpUrl.Builder url = c.url("build");
        o.tags().forEach(t -> url.addQueryParameter("t", t));
        if (o.dockerfile() != null && !o.dockerfile().isEmpty()) {
            url.addQueryParameter("dockerfile", o.dockerfile());
        }
        if (o.quiet()) {
            url.addQueryParameter("q", "1");
        }
        if (o.noCache()) {
            url.addQueryParameter("nocache", "1");
        }
        url.addQueryParameter("rm", o.remove() ? "1" : "0");
        if (o.forceRemove()) {
            url.addQueryParameter("forcerm", "1");
        }
        if (o.pull()) {
            url.addQueryParameter("pull", "1");
        }
        if (o.target() != null && !o.target().isEmpty()) {
            url.addQueryParameter("target", o.target());
        }
        if (o.platform() != null && !o.platform().isEmpty()) {
            url.addQueryParameter("platform", o.platform());
        }
        if (o.networkMode() != null && !o.networkMode().isEmpty()) {
            url.addQueryParameter("networkmode", o.networkMode());
        }
        try {
            url.addQueryParameter("buildargs", Json.MAPPER.writeValueAsString(o.buildArgs()));
            url.addQueryParameter("labels", Json.MAPPER.writeValueAsString(o.labels()));
        } catch (IOException e) {
            throw BerthException.invalid("cannot encode the build options: " + e.getMessage());
        }
        RequestBody body = new TarUpload(context, -1, sent);
        Request.Builder rb = c.post(url, body, null).newBuilder();
        if (registryConfig != null) {
            rb.header("X-Registry-Config", registryConfig);
        }
        Call call = c.http().newCall(rb.build());
        Response response = c.send(call);
        return c.stream(call, response, JsonMessage.class, BuildClient::failure);
    }

    private static BerthException failure(JsonMessage m) {
        if (!m.isError()) {
            return null;
        }
        int code = m.errorDetail() == null ? 0 : m.errorDetail().code();
        return new BuildFailed(code == 0 ? 1 : code, m.errorMessage());
    }

    /** {@code POST /build/prune}: the engine's report ({@code CachesDeleted}, {@code SpaceReclaimed}). */
    public com.fasterxml.jackson.databind.JsonNode prune() {
        try (Response response = c.send(c.post(c.url("build", "prune"), EngineClient.emptyBody(), null))) {
            return ContainerClient.readTree(response.body().bytes());
        } catch (IOException e) {
            throw c.readFailure(e);
        }
    }
}
