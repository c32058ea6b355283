package dev.berth.engine.runtime;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MonitorLivenessTest {
    /**
     * A killed conmon stays a zombie until init reaps it, and some inits (this sandbox's) take their time:
     * removal waited ~1.4 s per container while ProcessHandle still called the zombie alive.
     */
    @Test
    void aZombieIsNotRunningThoughProcessHandleCallsItAlive() throws Exception {
        // sh starts a child that exits at once, then becomes `sleep`, which never reaps it: a zombie.
        Process parent = new ProcessBuilder("sh", "-c", "sleep 0 & echo $!; exec sleep 30").start();
        try {
            long zombie = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine().strip());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (ConmonRuntime.running(zombie)) {
                assertTrue(System.nanoTime() - deadline < 0, "the child never exited");
                Thread.sleep(10);
            }
            assertTrue(ConmonRuntime.running(parent.pid()), "a live process runs");
            assertFalse(ConmonRuntime.running(Long.MAX_VALUE), "no such process");
        } finally {
            parent.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
