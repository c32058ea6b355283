package dev.berth.engine.build;

import java.util.Map;

/** Where a build reports, in the classic builder's message shapes. */
public interface BuildOutput {
    /** A {@code {"stream": text}} message; text carries its own newline. */
    void stream(String text);

    /** A {@code {"aux": …}} message. */
    void aux(Map<String, Object> aux);

    /** True when whoever asked for the build has gone away: the build stops and leaves nothing behind. */
    default boolean cancelled() {
        return false;
    }
}
