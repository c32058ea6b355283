package dev.berth.engine.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import static dev.berth.engine.logs.ConmonLog.append;
import static dev.berth.engine.logs.ConmonLog.appendLines;
import static dev.berth.engine.logs.ConmonLog.record;
import static dev.berth.engine.logs.ConmonLog.t;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Follow mode against a file another thread writes, with every wait bounded. */
@Timeout(30)
class K8sLogFollowTest {
    private static final Duration POLL = Duration.ofMillis(10);
    private static final long WAIT_S = 5;

    @TempDir
    Path dir;

    private final BlockingQueue<String> got = new LinkedBlockingQueue<>();
    private final AtomicBoolean exited = new AtomicBoolean();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private Path log() {
        return dir.resolve("ctr.log");
    }

    private Thread follow(K8sLogReader reader) {
        Thread th = Thread.ofPlatform().name("follower").start(() -> {
            try {
                reader.read(l -> got.add(l.text()));
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        return th;
    }

    private String next() throws InterruptedException {
        String s = got.poll(WAIT_S, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no line within " + WAIT_S + " s; failure: " + failure.get());
        }
        return s;
    }

    private void assertEnds(Thread th) throws InterruptedException {
        th.join(TimeUnit.SECONDS.toMillis(WAIT_S));
        assertFalse(th.isAlive(), "follow did not stop");
        assertNull(failure.get());
    }

    @Test
    void receivesAppendedLinesAndStopsOnceTheContainerHasExited() throws Exception {
        appendLines(log(), 1, 3);
        K8sLogReader reader = new K8sLogReader(log(), LogOptions.all().withFollow(true).withTail(1), exited::get, POLL);
        Thread th = follow(reader);
        assertEquals("line 3\n", next());
        appendLines(log(), 4, 4);
        assertEquals("line 4\n", next());
        // A line cut into records arrives once it is whole, not before.
        append(log(), record(t(5), "stderr", 'P', "half "));
        assertNull(got.poll(100, TimeUnit.MILLISECONDS));
        append(log(), record(t(6), "stderr", 'F', "whole"));
        assertEquals("half whole\n", next());
        // The last words of a container are served even when the exit is noticed in the same poll.
        appendLines(log(), 7, 7);
        append(log(), record(t(8), "stdout", 'P', "no newline"));
        exited.set(true);
        assertEquals("line 7\n", next());
        assertEquals("no newline", next());
        assertEnds(th);
        assertTrue(got.isEmpty());
    }

    @Test
    void aLastLineWrittenJustBeforeTheExitIsNoticedIsNotLost() throws Exception {
        appendLines(log(), 1, 1);
        AtomicBoolean lastWritten = new AtomicBoolean();
        // The exit check itself writes the last line, so it lands after the follower's last read and
        // before it learns of the exit: the window a real container's final write can fall into.
        K8sLogReader reader = new K8sLogReader(log(), LogOptions.all().withFollow(true), () -> {
            if (!exited.get()) {
                return false;
            }
            if (lastWritten.compareAndSet(false, true)) {
                try {
                    appendLines(log(), 2, 2);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            return true;
        }, POLL);
        Thread th = follow(reader);
        assertEquals("line 1\n", next());
        exited.set(true);
        assertEquals("line 2\n", next());
        assertEnds(th);
        assertTrue(lastWritten.get());
    }

    @Test
    void waitsForALogThatDoesNotExistYet() throws Exception {
        Thread th = follow(new K8sLogReader(log(), LogOptions.all().withFollow(true), exited::get, POLL));
        assertNull(got.poll(50, TimeUnit.MILLISECONDS));
        appendLines(log(), 1, 1);
        assertEquals("line 1\n", next());
        exited.set(true);
        assertEnds(th);
    }

    @Test
    void closeEndsAFollowOfARunningContainer() throws Exception {
        appendLines(log(), 1, 1);
        // A long poll, so that only the wake-up in close() can end the wait promptly.
        K8sLogReader reader = new K8sLogReader(log(), LogOptions.all().withFollow(true), () -> false,
                Duration.ofMinutes(10));
        Thread th = follow(reader);
        assertEquals("line 1\n", next());
        long start = System.nanoTime();
        reader.close();
        assertEnds(th);
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(2));
    }

    @Test
    void survivesConmonsRotationWithoutLosingTheOldFilesLastWrite() throws Exception {
        appendLines(log(), 1, 1);
        Thread th = follow(new K8sLogReader(log(), LogOptions.all().withFollow(true), exited::get, POLL));
        assertEquals("line 1\n", next());
        // conmon's reopen_k8s_file: it still holds the old file open, finishes its write, then writes a
        // fresh <log>.tmp and renames it over the log.
        try (FileChannel old = FileChannel.open(log(), StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            old.write(ByteBuffer.wrap(record(t(2), "stdout", 'P', "straddles ")));
            Path tmp = dir.resolve("ctr.log.tmp");
            append(tmp, record(t(3), "stdout", 'F', "rotation"));
            Files.move(tmp, log(), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        }
        assertEquals("straddles rotation\n", next());
        appendLines(log(), 4, 4);
        assertEquals("line 4\n", next());
        exited.set(true);
        assertEnds(th);
    }

    @Test
    void aTruncatedLogIsReadAgainFromItsStart() throws Exception {
        appendLines(log(), 1, 2);
        Thread th = follow(new K8sLogReader(log(), LogOptions.all().withFollow(true), exited::get, POLL));
        assertEquals("line 1\n", next());
        assertEquals("line 2\n", next());
        try (FileChannel ch = FileChannel.open(log(), StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        // One line is shorter than the two before it, so the follower sees a shrunken file whether it
        // polls before or after this write.
        appendLines(log(), 3, 3);
        assertEquals("line 3\n", next());
        exited.set(true);
        assertEnds(th);
    }

    @Test
    void streamerFlushesEachFollowedLineToTheClient() throws Exception {
        appendLines(log(), 1, 1);
        java.io.PipedInputStream in = new java.io.PipedInputStream(1 << 16);
        java.io.PipedOutputStream out = new java.io.PipedOutputStream(in);
        LogStreamer streamer = new LogStreamer(log(), false, exited::get, POLL);
        Thread th = Thread.ofPlatform().start(() -> {
            try (out) {
                streamer.stream(LogOptions.all().withFollow(true), out);
            } catch (Throwable e) {
                failure.set(e);
            }
        });
        DemultiplexingReader demux = new DemultiplexingReader(in);
        assertEquals("line 1\n", new String(demux.next().payload()));
        appendLines(log(), 2, 2);
        DemultiplexingReader.Frame f = demux.next();
        assertEquals(StdStream.STDOUT, f.stream());
        assertEquals("line 2\n", new String(f.payload()));
        exited.set(true);
        assertNull(demux.next());
        assertEnds(th);
    }
}
