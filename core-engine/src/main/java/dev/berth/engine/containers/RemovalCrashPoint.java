package dev.berth.engine.containers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A test-only stop in the middle of a removal, so a crash test can {@code kill -9} the daemon exactly
 * there instead of hoping to hit a window of a few milliseconds. Off unless the system property
 * {@code berth.test.pauseRemovalAt=<point>:<signal file>} is set; at that point the removing thread
 * writes the container's id to the signal file and then waits for ever (the test kills the daemon).
 */
final class RemovalCrashPoint {
    /** After the removal is marked, before anything is cleaned up. */
    static final String MARKED = "marked";
    /** A --rm removal: answered, the row is gone, its files and runtime record not yet. */
    static final String ANSWERED = "answered";

    private static final String SPEC = System.getProperty("berth.test.pauseRemovalAt", "");

    private RemovalCrashPoint() {
    }

    static void at(String point, String id) {
        if (SPEC.isEmpty() || !SPEC.startsWith(point + ":")) {
            return;
        }
        try {
            Path signal = Path.of(SPEC.substring(point.length() + 1));
            Path tmp = signal.resolveSibling(signal.getFileName() + ".tmp");
            Files.writeString(tmp, id);
            Files.move(tmp, signal, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            while (true) {
                Thread.sleep(60_000);
            }
        } catch (IOException | InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
