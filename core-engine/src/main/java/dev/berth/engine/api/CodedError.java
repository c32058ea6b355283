package dev.berth.engine.api;

/** A failure that carries a code for {@code errorDetail.code} (moby's JSONError.Code), e.g. a RUN's exit code. */
public interface CodedError {
    int code();
}
