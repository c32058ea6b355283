package dev.berth.registry;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Tests here talk to real programs (Debian's docker-registry, skopeo, htpasswd). On a developer machine
 * a missing one skips the test; in CI (CI=true) it fails it, so a broken setup cannot pass as green.
 */
final class Prerequisites {
    static final Path REGISTRY = Path.of("/usr/bin/docker-registry");
    static final Path SKOPEO = Path.of("/usr/bin/skopeo");
    static final Path HTPASSWD = Path.of("/usr/bin/htpasswd");
    static final Path BUSYBOX = Path.of("/bin/busybox");

    private Prerequisites() {
    }

    static void require(Path... programs) {
        for (Path p : programs) {
            if (!Files.isExecutable(p)) {
                String why = p + " is not installed (apt-get install docker-registry skopeo apache2-utils busybox-static)";
                if ("true".equals(System.getenv("CI"))) {
                    Assertions.fail(why);
                }
                Assumptions.abort(why);
            }
        }
    }
}
