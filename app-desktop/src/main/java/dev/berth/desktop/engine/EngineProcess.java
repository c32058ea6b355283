package dev.berth.desktop.engine;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;

/** An engine the app started: its process, where it logs, and how to stop it. */
public interface EngineProcess {
    long pid();

    boolean isAlive();

    /** Completes with the exit code when the process ends. */
    CompletableFuture<Integer> onExit();

    /** Asks the engine to stop (SIGTERM: it stops its containers' monitors and closes the socket). */
    void stop();

    Path log();
}
