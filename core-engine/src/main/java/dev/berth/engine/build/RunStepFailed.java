package dev.berth.engine.build;

import dev.berth.engine.api.CodedError;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

/** A RUN that exited non-zero: moby sends its exit code as errorDetail.code, and the docker CLI exits with it. */
final class RunStepFailed extends BerthException implements CodedError {
    private final int code;

    RunStepFailed(String message, int code) {
        super(ErrorCategory.INVALID_ARGUMENT, message);
        this.code = code;
    }

    @Override
    public int code() {
        return code;
    }
}
