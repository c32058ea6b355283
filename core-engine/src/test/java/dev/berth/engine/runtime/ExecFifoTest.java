package dev.berth.engine.runtime;

import dev.berth.errors.BerthException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.FileOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The exec fifo protocol against a stand-in for runc's init (a thread or no one), on a real fifo. */
class ExecFifoTest {
    @TempDir
    Path root;

    private Path fifo(String id) throws Exception {
        Path dir = Files.createDirectories(root.resolve(id));
        Path f = dir.resolve(ExecFifo.NAME);
        Process p = new ProcessBuilder("mkfifo", f.toString()).inheritIO().start();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0, "mkfifo");
        return f;
    }

    @Test
    void releasesAWaitingInitAndRemovesTheFifo() throws Exception {
        Path f = fifo("c1");
        assertEquals(f, ExecFifo.pending(root, "c1"));
        // What runc's init does once it is ready to exec: open for writing (blocks until a reader), write one byte.
        Thread init = Thread.ofPlatform().start(() -> {
            try (FileOutputStream out = new FileOutputStream(f.toFile())) {
                out.write('0');
            } catch (Exception e) {
                throw new RuntimeException(e);
            }
        });
        assertTimeoutPreemptively(Duration.ofSeconds(10),
                () -> ExecFifo.release("c1", f, () -> ProcessHandle.current().pid(), Duration.ofSeconds(10)));
        init.join(10_000);
        assertFalse(init.isAlive());
        assertFalse(Files.exists(f), "a started container has no fifo (runc then says running)");
        assertNull(ExecFifo.pending(root, "c1"));
    }

    @Test
    void anInitThatDiedFailsTheStartInsteadOfHanging() throws Exception {
        Path f = fifo("c2");
        Process gone = new ProcessBuilder("true").start();
        assertTrue(gone.waitFor(10, TimeUnit.SECONDS));
        BerthException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(BerthException.class,
                () -> ExecFifo.release("c2", f, gone::pid, Duration.ofSeconds(30))));
        assertTrue(e.getMessage().contains("container process is already dead"), e.getMessage());
        assertTrue(Files.exists(f), "the fifo of a container that did not start stays, as with runc");
    }

    @Test
    void anInitThatNeverOpensTimesOut() throws Exception {
        Path f = fifo("c3");
        BerthException e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(BerthException.class,
                () -> ExecFifo.release("c3", f, () -> ProcessHandle.current().pid(), Duration.ofMillis(200))));
        assertTrue(e.getMessage().contains("did not start"), e.getMessage());
    }

    @Test
    void noFifoIsNotPending() throws Exception {
        assertNull(ExecFifo.pending(root, "none"));
        Files.createDirectories(root.resolve("plain"));
        Files.writeString(root.resolve("plain").resolve(ExecFifo.NAME), "not a fifo");
        assertNull(ExecFifo.pending(root, "plain"), "only a fifo counts");
    }
}
