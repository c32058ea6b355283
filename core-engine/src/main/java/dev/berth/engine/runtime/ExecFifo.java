package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.FileInputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.LongSupplier;

/**
 * Starts a created runc container the way {@code runc start} does, without forking runc (~25 ms per
 * start: a process and a Go runtime, only to open one file). After {@code runc create}, the
 * container's init waits, ready to exec the user's process, in an open for writing of
 * {@code <runc root>/<id>/exec.fifo}. Opening it for reading releases the init: it writes one byte
 * and execs (its end is close-on-exec, so the read sees end-of-file once the exec happened); then
 * the fifo is removed, which is what makes runc report the container as running rather than
 * created. See runc's libcontainer {@code (*linuxContainer).exec} and {@code handleFifoResult}.
 *
 * <p>As in runc, an init that died before opening its end would leave the reader blocked: a
 * watchdog then opens the fifo read-write (never blocks on Linux), which lets the reader's open
 * complete with nothing to read, the same "container process is already dead" as runc's.
 */
final class ExecFifo {
    static final String NAME = "exec.fifo";
    private static final long TICK_MS = 20;

    private ExecFifo() {
    }

    /** The fifo of a container that runc created and nobody started yet, or null (started, or not runc's). */
    static Path pending(Path runtimeRoot, String id) {
        Path fifo = runtimeRoot.resolve(id).resolve(NAME);
        try {
            BasicFileAttributes a = Files.readAttributes(fifo, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isOther() ? fifo : null;
        } catch (IOException e) {
            return null;
        }
    }

    /** runc's record of the container's init pid ({@code state.json}), or -1. */
    static long initPid(Path runtimeRoot, String id) {
        try {
            JsonNode n = Json.MAPPER.readTree(runtimeRoot.resolve(id).resolve("state.json").toFile());
            return n.path("init_process_pid").asLong(-1);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Releases the init waiting on {@code fifo} and waits until it exec'd the container's process.
     *
     * @param initPid the init's pid (-1: unknown, rely on the timeout alone); asked for only if the open
     *                still blocks after a first tick, so that reading runc's state stays off a normal start
     */
    static void release(String id, Path fifo, LongSupplier initPid, Duration timeout) throws IOException {
        AtomicBoolean opened = new AtomicBoolean();
        AtomicBoolean timedOut = new AtomicBoolean();
        // A platform thread, not a virtual one: it must run even while the reader below pins a carrier.
        Thread watchdog = Thread.ofPlatform().daemon().name("berth-exec-fifo").unstarted(() -> {
            long deadline = System.nanoTime() + timeout.toNanos();
            long pid = 0;
            try {
                while (!opened.get()) {
                    Thread.sleep(TICK_MS);
                    if (opened.get()) {
                        return;
                    }
                    if (pid == 0) {
                        pid = initPid.getAsLong();
                    }
                    boolean dead = pid > 0 && !alive(pid);
                    if (dead || System.nanoTime() > deadline) {
                        timedOut.set(!dead);
                        unblock(fifo);
                        return;
                    }
                }
            } catch (InterruptedException e) {
                // The reader is through: nothing to unblock.
            }
        });
        watchdog.start();
        byte[] data;
        try (FileInputStream in = new FileInputStream(fifo.toFile())) {
            opened.set(true);
            data = in.readAllBytes();
        } finally {
            opened.set(true);
            watchdog.interrupt();
        }
        if (data.length == 0) {
            if (timedOut.get()) {
                throw BerthException.system("start " + id + " failed: the container's init did not start within "
                        + timeout.toSeconds() + "s", null);
            }
            throw BerthException.system("start " + id + " failed: container process is already dead", null);
        }
        Files.deleteIfExists(fifo);
    }

    /** A read-write open of a fifo never blocks and counts as a writer: a blocked reader's open returns. */
    private static void unblock(Path fifo) {
        try (FileChannel ignored = FileChannel.open(fifo, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            // Closing it leaves the reader at end-of-file.
        } catch (IOException e) {
            // Gone: the reader got through (or runc removed it); nothing blocks.
        }
    }

    private static boolean alive(long pid) {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }
}
