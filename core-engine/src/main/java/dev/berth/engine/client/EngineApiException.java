package dev.berth.engine.client;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

/**
 * An error the engine reported: a non-2xx answer, or an {@code errorDetail} line in a progress
 * stream. {@link #statusCode()} tells which: a stream error has none (0), and callers word the two
 * differently, as docker does ("Error response from daemon: ..." only for the former).
 */
public final class EngineApiException extends BerthException {
    private final int statusCode;

    public EngineApiException(int statusCode, String message) {
        super(categoryForStatus(statusCode), message);
        this.statusCode = statusCode;
    }

    private EngineApiException(ErrorCategory category, String message) {
        super(category, message);
        this.statusCode = 0;
    }

    /** An {@code errorDetail} from a stream; its optional code is an HTTP-like status. */
    public static EngineApiException fromStream(int code, String message) {
        ErrorCategory category = code >= 400 ? categoryForStatus(code) : ErrorCategory.SYSTEM;
        return new EngineApiException(category, message);
    }

    /** The HTTP status, or 0 when the error came from within a stream. */
    public int statusCode() {
        return statusCode;
    }

    public boolean fromStream() {
        return statusCode == 0;
    }

    /** The one place that maps an engine's HTTP status to a category (the inverse of moby's httpstatus). */
    public static ErrorCategory categoryForStatus(int status) {
        return switch (status) {
            case 400 -> ErrorCategory.INVALID_ARGUMENT;
            case 401 -> ErrorCategory.UNAUTHORIZED;
            case 403 -> ErrorCategory.FORBIDDEN;
            case 404 -> ErrorCategory.NOT_FOUND;
            case 409 -> ErrorCategory.CONFLICT;
            case 501 -> ErrorCategory.NOT_IMPLEMENTED;
            case 503 -> ErrorCategory.UNAVAILABLE;
            case 507 -> ErrorCategory.NO_SPACE;
            default -> ErrorCategory.SYSTEM;
        };
    }
}
