package dev.berth.engine.build;

import dev.berth.errors.BerthException;

import java.nio.file.Path;

/** moby's normalizeWorkdir: a relative WORKDIR joins the current one (cleaned); an absolute one is kept as written. */
final class Workdirs {
    private Workdirs() {
    }

    static String normalize(String current, String requested) {
        if (requested.isEmpty()) {
            throw BerthException.invalid("cannot normalize nothing");
        }
        if (requested.startsWith("/")) {
            return requested;
        }
        return Path.of("/" + current, requested).normalize().toString();
    }
}
