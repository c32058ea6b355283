package dev.berth.engine.api;

import java.io.IOException;
import java.io.OutputStream;

/** How a route answers. Exactly one of the methods is called per request. */
public interface ApiResponse {
    /** Adds a header to whatever response follows; only before the response is committed. */
    void header(String name, String value);

    /** A JSON body of {@code value}, or an empty body when value is null. */
    void json(int status, Object value) throws IOException;

    /** A body-less answer (201, 204, 304). */
    void empty(int status) throws IOException;

    void text(int status, String contentType, String body) throws IOException;

    /**
     * Starts a streamed (chunked) body and returns where to write it; closing the stream ends the
     * response. Writes flush promptly so clients see progress as it happens.
     */
    OutputStream stream(int status, String contentType) throws IOException;

    /**
     * Takes the connection over from HTTP, as Docker's attach does. When the client asked for
     * {@code Upgrade: tcp} it gets {@code 101 UPGRADED}, otherwise {@code 200 OK}; either way the
     * connection then carries raw bytes both ways and is closed when the returned stream is.
     */
    HijackedStream hijack(String contentType) throws IOException;

    /** True once the status line has gone out: an error can then only be reported in-band. */
    boolean committed();
}
