package dev.berth.errors;

/**
 * What kind of failure an error is, independent of how it is reported. The API server maps a
 * category to an HTTP status and the CLI maps it to an exit code, each in exactly one place, the
 * way moby's errdefs does.
 */
public enum ErrorCategory {
    /** The caller sent something malformed: a bad reference, a bad parameter, a hostile archive. */
    INVALID_ARGUMENT,
    /** The named object does not exist. */
    NOT_FOUND,
    /** The request conflicts with current state: a name in use, an image used by a container. */
    CONFLICT,
    /** Credentials are missing or wrong. */
    UNAUTHORIZED,
    /** Credentials are valid but not allowed to do this. */
    FORBIDDEN,
    /** A peer (a registry, a runtime) could not be reached or failed; retrying may help. */
    UNAVAILABLE,
    /** Data that arrived does not match what was promised: a digest or size mismatch. */
    DATA_LOSS,
    /** The feature is not built (yet) or not supported on this platform. */
    NOT_IMPLEMENTED,
    /**
     * The file system that had to take the bytes is full (ENOSPC, or the user's quota: EDQUOT). Nothing is wrong
     * with the request: freeing space, or giving the engine a data root with more, lets it succeed.
     */
    NO_SPACE,
    /** Anything else: a bug or an environment failure (permission denied on our own files). */
    SYSTEM
}
