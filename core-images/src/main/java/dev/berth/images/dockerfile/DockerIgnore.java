package dev.berth.images.dockerfile;

import java.util.List;

/** {@code .dockerignore} with moby/patternmatcher semantics. */
public final class DockerIgnore {
    private DockerIgnore() {}

    public static DockerIgnore parse(String text) {
        return new DockerIgnore();
    }

    /** The cleaned patterns, exceptions prefixed with {@code !}. */
    public List<String> patterns() {
        return List.of();
    }

    /** Whether the context path (slash-separated, relative) is excluded from the context. */
    public boolean matches(String relativePath) {
        return false;
    }

    /** Alias of {@link #matches}. */
    public boolean excluded(String relativePath) {
        return matches(relativePath);
    }

    /** Whether an excluded directory can be skipped without walking it: no exception can re-include anything below it. */
    public boolean canSkipDirectory(String relativeDir) {
        return false;
    }
}
