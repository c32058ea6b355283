package dev.berth.engine.containers;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A failed start becomes Docker's exit code and message. */
class StartFailureTest {
    static StartFailure of(String oci) {
        return StartFailure.of(BerthException.system("creating container x failed: conmon exited before the container "
                + "was created: " + oci, null));
    }

    @Test
    void commandNotFoundIs127() {
        StartFailure f = of("{\"level\":\"error\",\"msg\":\"runc create failed: unable to start container process: "
                + "exec: \\\"nosuch\\\": executable file not found in $PATH\",\"time\":\"2026-12-05T08:57:00Z\"}");
        assertEquals(127, f.exitCode());
        assertEquals(ErrorCategory.INVALID_ARGUMENT, f.error().category());
        assertEquals("failed to create task for container: OCI runtime create failed: runc create failed: unable to start "
                + "container process: exec: \"nosuch\": executable file not found in $PATH: unknown", f.error().getMessage());
    }

    @Test
    void permissionDeniedIs126AndAnythingElse128() {
        assertEquals(126, of("{\"msg\":\"runc create failed: unable to start container process: exec: \\\"/etc\\\": "
                + "permission denied\"}").exitCode());
        StartFailure other = of("something else broke");
        assertEquals(128, other.exitCode());
        assertEquals(ErrorCategory.SYSTEM, other.error().category());
    }
}
