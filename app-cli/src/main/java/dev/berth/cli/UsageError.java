package dev.berth.cli;

/**
 * A failure whose message is printed as it is, with its own exit status, like docker's
 * {@code cli.StatusError}: 125 for bad flags, 1 for wrong arguments, 64 for bad templates.
 */
public final class UsageError extends RuntimeException {
    private final int status;

    public UsageError(String message, int status) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
