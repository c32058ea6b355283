package dev.berth.engine.api;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

/**
 * The one place where an error category becomes an HTTP status, as moby's httpstatus does, and where a failure
 * becomes the message a client is told, as a status or in-band.
 */
public final class ErrorStatus {
    private ErrorStatus() {
    }

    public static int of(ErrorCategory category) {
        return switch (category) {
            case INVALID_ARGUMENT -> 400;
            case UNAUTHORIZED -> 401;
            case FORBIDDEN -> 403;
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            case NOT_IMPLEMENTED -> 501;
            case UNAVAILABLE -> 503;
            case NO_SPACE -> 507;
            case DATA_LOSS, SYSTEM -> 500;
        };
    }

    /** The failure's message; for a full disk also what to do about it, since the request itself was fine. */
    public static String message(Throwable t) {
        String m = t.getMessage() == null ? t.toString() : t.getMessage();
        return BerthException.categoryOf(t) == ErrorCategory.NO_SPACE
                ? m + " (the disk under the engine's data root is full: free space, for example with"
                        + " `docker system prune`, then try again)"
                : m;
    }
}
