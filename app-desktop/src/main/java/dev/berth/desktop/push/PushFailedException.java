package dev.berth.desktop.push;

import dev.berth.errors.BerthException;

/** A push that failed, with the plain message and whether Retry makes sense. */
public final class PushFailedException extends BerthException {
    private final transient PushErrors.Failure failure;

    public PushFailedException(PushErrors.Failure failure, Throwable cause) {
        super(BerthException.categoryOf(cause), failure.message(), cause);
        this.failure = failure;
    }

    public PushErrors.Failure failure() {
        return failure;
    }
}
