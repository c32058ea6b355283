package dev.berth.engine.client;

import dev.berth.engine.client.model.JsonMessage;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import okhttp3.Call;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okio.BufferedSink;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/**
 * {@code POST /build} with the classic builder protocol: the context goes up as a tar, the log comes
 * back as {@code {"stream": …}} messages and the image ID as {@code {"aux": {"ID": …}}}. Closing the
 * returned stream closes the connection, which makes the engine stop the build and remove its step
 * container.
 */
public final class BuildClient {
    private static final MediaType TAR = MediaType.get("application/x-tar");

    /** What {@code docker build} sends as query parameters. */
    public record Request(List<String> tags, String dockerfile, Map<String, String> buildArgs, String target,
                          boolean noCache, boolean pull) {
        public Request {
            tags = List.copyOf(tags);
            buildArgs = Map.copyOf(buildArgs);
        }
    }

    /** Writes the build context as a tar; called once, on OkHttp's thread. */
    @FunctionalInterface
    public interface ContextWriter {
        void writeTo(java.io.OutputStream out) throws IOException;
    }

    private final EngineClient engine;

    BuildClient(EngineClient engine) {
        this.engine = engine;
    }

    public MessageStream<JsonMessage> build(ContextWriter context, Request r) {
        HttpUrl.Builder url = engine.url("build");
        r.tags().forEach(t -> url.addQueryParameter("t", t));
        if (r.dockerfile() != null && !r.dockerfile().isBlank()) {
            url.addQueryParameter("dockerfile", r.dockerfile());
        }
        if (!r.buildArgs().isEmpty()) {
            try {
                url.addQueryParameter("buildargs", Json.MAPPER.writeValueAsString(r.buildArgs()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        if (r.target() != null && !r.target().isBlank()) {
            url.addQueryParameter("target", r.target());
        }
        if (r.noCache()) {
            url.addQueryParameter("nocache", "1");
        }
        if (r.pull()) {
            url.addQueryParameter("pull", "1");
        }
        url.addQueryParameter("rm", "1");
        url.addQueryParameter("forcerm", "1");
        okhttp3.RequestBody body = new okhttp3.RequestBody() {
            @Override
            public MediaType contentType() {
                return TAR;
            }

            @Override
            public boolean isOneShot() {
                return true;
            }

            @Override
            public void writeTo(BufferedSink sink) throws IOException {
                context.writeTo(sink.outputStream());
            }
        };
        Call call = engine.http().newCall(engine.post(url, body, null));
        return engine.stream(call, engine.send(call), JsonMessage.class, BuildClient::streamError);
    }

    private static BerthException streamError(JsonMessage message) {
        if (!message.isError()) {
            return null;
        }
        int code = message.errorDetail() == null ? 0 : message.errorDetail().code();
        return EngineApiException.fromStream(code, message.errorMessage());
    }
}
