package dev.berth.engine.api;

import java.io.IOException;

/**
 * The client went away while its response was being written: {@code docker logs -f} ended with
 * Ctrl-C, a Testcontainers log consumer closed. Ordinary for streaming endpoints, so not logged.
 */
public final class ClientClosedException extends IOException {
    public ClientClosedException() {
        super("client closed the connection");
    }

    /** Whether {@code t} or one of its causes is this. */
    public static boolean in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ClientClosedException || c instanceof java.nio.channels.ClosedChannelException) {
                return true;
            }
        }
        return false;
    }
}
