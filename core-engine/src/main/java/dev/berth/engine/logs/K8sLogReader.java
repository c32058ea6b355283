package dev.berth.engine.logs;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Reads a container's k8s-file log the way {@code docker logs} serves it.
 *
 * <p><b>Files.</b> {@code logFile} is the file conmon writes ({@code --log-path}). conmon 2.1.6 rotates
 * on {@code --log-size-max} by creating {@code <log>.tmp} and renaming it over the log (reopen_k8s_file),
 * so conmon itself keeps no old file: the previous content survives only where another link to its
 * inode exists. Berth's side of max-file is therefore to keep such links, named as Docker's json-file
 * names them: {@code <log>.1} is the newest kept file and {@code <log>.N} the oldest. This reader reads
 * {@code <log>.N … <log>.1, <log>} in that order and stops at the first missing number.
 *
 * <p><b>Order of filters.</b> As Docker's json-file does: {@code tail} picks the last lines of all
 * streams, then since/until apply, then the stream selection (Docker selects streams when writing the
 * response). So {@code --tail 2} on stdout alone may show fewer than two lines, exactly as Docker does.
 *
 * <p><b>Follow.</b> After the end, the reader polls the log every {@code pollInterval} until the
 * container has exited (checked, then the file drained once more, so nothing written before the exit
 * is lost), {@code until} has passed, or {@link #close()} is called. A file replaced under the same
 * name (conmon's rotation) is drained through the still-open channel and then the new file is read from
 * its start; a file that shrank under the same inode (truncation) is read again from its start.
 *
 * <p>A line without its newline at the end of the file is a record conmon is still writing; it is
 * left for the next poll, and dropped if the reader finishes first.
 */
public final class K8sLogReader implements Closeable {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(50);

    /** Big enough that a tail of a few hundred short lines is one read, small enough to not matter. */
    private static final int BLOCK = 64 * 1024;

    private final Path logFile;
    private final LogOptions options;
    private final BooleanSupplier exited;
    private final long pollNanos;
    private final Object wake = new Object();
    private volatile boolean closed;

    /** Per-stream P records waiting for their F: the streams interleave, a line does not. */
    private final Map<StdStream, Pending> pending = new EnumMap<>(StdStream.class);
    private ArrayDeque<LogLine> tailBuffer;
    private boolean untilPassed;

    public K8sLogReader(Path logFile, LogOptions options, BooleanSupplier exited) {
        this(logFile, options, exited, DEFAULT_POLL_INTERVAL);
    }

    public K8sLogReader(Path logFile, LogOptions options, BooleanSupplier exited, Duration pollInterval) {
        this.logFile = Objects.requireNonNull(logFile);
        this.options = Objects.requireNonNull(options);
        this.exited = Objects.requireNonNull(exited);
        this.pollNanos = pollInterval.toNanos();
    }

    /** The files to read, oldest first; the live log is last even if it does not exist yet. */
    public static List<Path> files(Path logFile) {
        List<Path> rotated = new ArrayList<>();
        for (int i = 1; ; i++) {
            Path p = logFile.resolveSibling(logFile.getFileName() + "." + i);
            if (!Files.exists(p)) {
                break;
            }
            rotated.add(p);
        }
        List<Path> all = new ArrayList<>(rotated.reversed());
        all.add(logFile);
        return all;
    }

    /** Reads to the end, or, when following, until the container exits or this reader is closed. */
    public void read(LogSink sink) throws IOException {
        List<Path> files = files(logFile);
        int firstFile = 0;
        long firstOffset = 0;
        if (options.tail() != LogOptions.ALL) {
            long[] start = tailStart(files, options.tail());
            firstFile = (int) start[0];
            firstOffset = start[1];
            tailBuffer = new ArrayDeque<>();
        }
        for (int i = firstFile; i < files.size() - 1 && !done(); i++) {
            try (Cursor c = Cursor.open(files.get(i), i == firstFile ? firstOffset : 0)) {
                if (c != null) {
                    c.readAvailable(r -> onRecord(r, sink));
                }
            }
        }
        Cursor live = Cursor.open(logFile, firstFile == files.size() - 1 ? firstOffset : 0);
        try {
            if (live != null) {
                live.readAvailable(r -> onRecord(r, sink));
            }
            if (options.follow()) {
                // A trailing P record is a line still being written: it stays pending, outside the tail.
                flushTail(sink);
                live = follow(live, sink);
            }
            flushPending(sink);
        } finally {
            if (live != null) {
                live.close();
            }
        }
    }

    private Cursor follow(Cursor live, LogSink sink) throws IOException {
        boolean exitSeen = false;
        while (!done()) {
            if (live == null) {
                live = Cursor.open(logFile, 0);
            }
            if (live != null) {
                if (live.readAvailable(r -> onRecord(r, sink))) {
                    continue;
                }
                if (live.replaced(logFile)) {
                    // conmon finishes writing the old file before the rename, so one read after seeing the
                    // rename gets everything; the read before it may have raced with a last write.
                    live.readAvailable(r -> onRecord(r, sink));
                    live.close();
                    live = Cursor.open(logFile, 0);
                    continue;
                }
                if (live.truncated()) {
                    live.restart();
                    continue;
                }
            }
            if (exitSeen) {
                break;
            }
            if (exited.getAsBoolean()) {
                exitSeen = true;
                continue;
            }
            if (options.until() != null && Instant.now().isAfter(options.until())) {
                break;
            }
            synchronized (wake) {
                if (!closed) {
                    try {
                        wake.wait(Math.max(1, pollNanos / 1_000_000), (int) (pollNanos % 1_000_000));
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        closed = true;
                    }
                }
            }
        }
        return live;
    }

    private boolean done() {
        return closed || untilPassed;
    }

    private void onRecord(K8sLogRecord r, LogSink sink) throws IOException {
        Pending p = pending.get(r.stream());
        if (r.partial()) {
            if (p == null) {
                p = new Pending(r.timestamp());
                pending.put(r.stream(), p);
            }
            p.bytes.write(r.content());
            return;
        }
        byte[] content;
        Instant ts;
        if (p == null) {
            content = Arrays.copyOf(r.content(), r.content().length + 1);
            content[content.length - 1] = '\n';
            ts = r.timestamp();
        } else {
            pending.remove(r.stream());
            p.bytes.write(r.content());
            p.bytes.write('\n');
            content = p.bytes.toByteArray();
            ts = p.start;
        }
        line(new LogLine(ts, r.stream(), content), sink);
    }

    /** A line cut short by the end of the container (or of the read) is served as it is, as Docker does. */
    private void flushPending(LogSink sink) throws IOException {
        List<LogLine> rest = new ArrayList<>();
        pending.forEach((s, p) -> rest.add(new LogLine(p.start, s, p.bytes.toByteArray())));
        pending.clear();
        rest.sort((a, b) -> a.timestamp().compareTo(b.timestamp()));
        for (LogLine l : rest) {
            line(l, sink);
        }
        flushTail(sink);
    }

    private void flushTail(LogSink sink) throws IOException {
        if (tailBuffer != null) {
            ArrayDeque<LogLine> lines = tailBuffer;
            tailBuffer = null;
            for (LogLine l : lines) {
                emit(l, sink);
            }
        }
    }

    private void line(LogLine l, LogSink sink) throws IOException {
        if (tailBuffer != null) {
            if (options.tail() == 0) {
                return;
            }
            if (tailBuffer.size() == options.tail()) {
                tailBuffer.removeFirst();
            }
            tailBuffer.addLast(l);
            return;
        }
        emit(l, sink);
    }

    private void emit(LogLine l, LogSink sink) throws IOException {
        if (untilPassed) {
            return;
        }
        if (options.until() != null && l.timestamp().isAfter(options.until())) {
            untilPassed = true;
            return;
        }
        if (options.since() != null && l.timestamp().isBefore(options.since())) {
            return;
        }
        if (options.wants(l.stream())) {
            sink.accept(l);
        }
    }

    /**
     * Where to start so that at most {@code n} full lines follow, as {file index, offset}: just after the
     * (n+1)-th F record from the end. Reads backwards a block at a time so that a tail of a large log
     * costs what the tail costs; the forward pass then keeps exactly the last n lines.
     */
    static long[] tailStart(List<Path> files, int n) throws IOException {
        long fulls = 0;
        for (int f = files.size() - 1; f >= 0; f--) {
            long found = backwardFind(files.get(f), (long) n + 1 - fulls);
            if (found >= 0) {
                return new long[] {f, found};
            }
            fulls += -(found + 1);
        }
        return new long[] {0, 0};
    }

    /**
     * Scans one file backwards for the {@code want}-th F record from its end. Returns the offset just after
     * it, or {@code -(count+1)} with the number of F records the file holds when it has fewer.
     */
    private static long backwardFind(Path file, long want) throws IOException {
        long count = 0;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = ch.size();
            // Bytes after the last newline are a record still being written: not a line yet.
            byte[] rest = new byte[0];
            boolean trimmed = false;
            while (pos > 0) {
                long blockStart = Math.max(0, pos - BLOCK);
                byte[] block = new byte[(int) (pos - blockStart)];
                readFully(ch, ByteBuffer.wrap(block), blockStart);
                byte[] buf = new byte[block.length + rest.length];
                System.arraycopy(block, 0, buf, 0, block.length);
                System.arraycopy(rest, 0, buf, block.length, rest.length);
                int end = buf.length;
                if (!trimmed) {
                    int nl = lastIndexOf(buf, end - 1, (byte) '\n');
                    if (nl < 0 && blockStart > 0) {
                        rest = buf;
                        pos = blockStart;
                        continue;
                    }
                    end = nl + 1;
                    trimmed = true;
                }
                // buf[0, end) ends with a newline; walk its lines from the last.
                int lineEnd = end - 1;
                while (lineEnd >= 0) {
                    int prev = lastIndexOf(buf, lineEnd - 1, (byte) '\n');
                    if (prev < 0 && blockStart > 0) {
                        break;
                    }
                    K8sLogRecord r = K8sLogRecord.parse(buf, prev + 1, lineEnd - prev - 1);
                    if (r != null && !r.partial() && ++count == want) {
                        return blockStart + lineEnd + 1;
                    }
                    lineEnd = prev;
                }
                rest = Arrays.copyOf(buf, lineEnd + 1);
                pos = blockStart;
                if (lineEnd < 0) {
                    break;
                }
            }
        } catch (NoSuchFileException e) {
            return -1;
        }
        return -(count + 1L);
    }

    private static int lastIndexOf(byte[] b, int from, byte v) {
        for (int i = from; i >= 0; i--) {
            if (b[i] == v) {
                return i;
            }
        }
        return -1;
    }

    private static void readFully(FileChannel ch, ByteBuffer dst, long at) throws IOException {
        while (dst.hasRemaining()) {
            int n = ch.read(dst, at + dst.position());
            if (n < 0) {
                throw new IOException("log file shrank while reading it backwards");
            }
        }
    }

    /** Stops a follow at its next poll and wakes it now if it is waiting. */
    @Override
    public void close() {
        synchronized (wake) {
            closed = true;
            wake.notifyAll();
        }
    }

    private static final class Pending {
        final Instant start;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Pending(Instant start) {
            this.start = start;
        }
    }

    @FunctionalInterface
    private interface RecordSink {
        void accept(K8sLogRecord r) throws IOException;
    }

    /** An open log file read forwards, remembering a record cut off by the end of the data. */
    private static final class Cursor implements Closeable {
        private final FileChannel ch;
        private final Object fileKey;
        private long readPos;
        private final ByteBuffer buf = ByteBuffer.allocate(BLOCK);
        private byte[] carry = new byte[0];

        private Cursor(FileChannel ch, Object fileKey, long from) {
            this.ch = ch;
            this.fileKey = fileKey;
            this.readPos = from;
        }

        static Cursor open(Path p, long from) throws IOException {
            FileChannel ch;
            try {
                ch = FileChannel.open(p, StandardOpenOption.READ);
            } catch (NoSuchFileException e) {
                return null;
            }
            Object key = Files.readAttributes(p, BasicFileAttributes.class).fileKey();
            return new Cursor(ch, key, from);
        }

        /** Hands over every complete record now in the file; true if there was any new data. */
        boolean readAvailable(RecordSink sink) throws IOException {
            boolean any = false;
            while (true) {
                buf.clear();
                int n = ch.read(buf, readPos);
                if (n <= 0) {
                    return any;
                }
                any = true;
                readPos += n;
                byte[] data;
                int len;
                if (carry.length == 0) {
                    data = buf.array();
                    len = n;
                } else {
                    data = Arrays.copyOf(carry, carry.length + n);
                    System.arraycopy(buf.array(), 0, data, carry.length, n);
                    len = data.length;
                }
                int start = 0;
                for (int i = 0; i < len; i++) {
                    if (data[i] == '\n') {
                        K8sLogRecord r = K8sLogRecord.parse(data, start, i - start);
                        if (r != null) {
                            sink.accept(r);
                        }
                        start = i + 1;
                    }
                }
                carry = Arrays.copyOfRange(data, start, len);
            }
        }

        boolean replaced(Path p) throws IOException {
            try {
                return !Objects.equals(Files.readAttributes(p, BasicFileAttributes.class).fileKey(), fileKey);
            } catch (NoSuchFileException e) {
                return false;
            }
        }

        boolean truncated() throws IOException {
            return ch.size() < readPos;
        }

        void restart() {
            readPos = 0;
            carry = new byte[0];
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
