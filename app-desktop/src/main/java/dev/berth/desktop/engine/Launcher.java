package dev.berth.desktop.engine;

import java.io.IOException;
import java.util.Optional;

/** Starts Berth's engine in the background; tests substitute one that records what it was asked. */
public interface Launcher {
    /** Why this user cannot start the engine for {@code target} (and what to do), or empty if they can. */
    Optional<String> whyNot(EngineTarget target);

    EngineProcess launch(EngineTarget target) throws IOException;
}
