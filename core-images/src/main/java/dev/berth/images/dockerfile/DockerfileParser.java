package dev.berth.images.dockerfile;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

/** Parses Dockerfile text the way BuildKit's dockerfile frontend does (parser + instructions). */
public final class DockerfileParser {
    private DockerfileParser() {}

    public static Dockerfile parse(String text) {
        throw new BerthException(ErrorCategory.NOT_IMPLEMENTED, "Dockerfile parser not finished");
    }
}
