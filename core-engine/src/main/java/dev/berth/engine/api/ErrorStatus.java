package dev.berth.engine.api;

import dev.berth.errors.ErrorCategory;

/** The one place where an error category becomes an HTTP status, as moby's httpstatus does. */
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
}
