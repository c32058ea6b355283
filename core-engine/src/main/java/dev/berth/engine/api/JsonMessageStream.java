package dev.berth.engine.api;

import dev.berth.images.Json;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker's newline-delimited JSON progress stream (pull, push, load, build). The HTTP status goes out
 * with the first message, so an error before any progress is still a proper HTTP error; after that it
 * can only travel in-band as {@code errorDetail}, which is how docker clients expect it.
 */
public final class JsonMessageStream {
    private final ApiResponse response;
    private OutputStream out;

    @FunctionalInterface
    public interface Work {
        void run(JsonMessageStream out) throws Exception;
    }

    private JsonMessageStream(ApiResponse response) {
        this.response = response;
    }

    /** Runs {@code work} with a stream, reporting its failure the one way still open, then ends the response. */
    public static void serve(ApiResponse response, Work work) throws Exception {
        JsonMessageStream s = new JsonMessageStream(response);
        try {
            work.run(s);
        } catch (Exception e) {
            s.fail(e);
        }
        s.finish();
    }

    public synchronized void send(Map<String, ?> message) {
        try {
            if (out == null) {
                out = response.stream(200, "application/json");
            }
            out.write(Json.MAPPER.writeValueAsBytes(message));
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void status(String status) {
        send(Map.of("status", status));
    }

    public void stream(String text) {
        send(Map.of("stream", text));
    }

    public synchronized boolean started() {
        return out != null;
    }

    /**
     * Reports a failure: rethrown while nothing has been sent (the router answers with a status code),
     * else written in-band. Returns normally only in the in-band case.
     */
    private synchronized void fail(Throwable t) throws Exception {
        if (out == null) {
            if (t instanceof Exception e) {
                throw e;
            }
            throw (Error) t;
        }
        String message = ErrorStatus.message(t);
        Map<String, Object> detail = new LinkedHashMap<>();
        if (t instanceof CodedError c) {
            detail.put("code", c.code());
        }
        detail.put("message", message);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("errorDetail", detail);
        m.put("error", message);
        send(m);
    }

    private synchronized void finish() throws IOException {
        if (out == null) {
            out = response.stream(200, "application/json");
        }
        out.close();
    }

    /**
     * Whether the client has gone: an empty write asks the connection without sending a byte, so a
     * long silent step (a RUN that prints nothing) can notice a cancelled build.
     */
    public synchronized boolean clientGone() {
        if (out == null) {
            return false;
        }
        try {
            out.write(new byte[0]);
            return false;
        } catch (IOException e) {
            return true;
        }
    }
}
