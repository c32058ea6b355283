package dev.berth.engine.api;

import java.io.Closeable;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * The raw connection after a hijack ({@code POST /containers/{id}/attach}): what the client writes
 * after the request (stdin) and where to write to it. Closing ends the connection.
 */
public interface HijackedStream extends Closeable {
    InputStream in();

    OutputStream out();

    @Override
    void close();

    /** False once the client has gone away (or the stream was closed). */
    default boolean isOpen() {
        return true;
    }
}
