package dev.berth.engine.api;

import java.io.IOException;

/** The client went away mid-request (docker CLI interrupted, a cancelled build): routine, not a daemon error. */
public final class ClientClosedException extends IOException {
    public ClientClosedException() {
        super("client closed the connection");
    }

    /** Whether {@code t} or one of its causes is a client going away. */
    static boolean in(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof ClientClosedException) {
                return true;
            }
        }
        return false;
    }
}
