package dev.berth.images.layer;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads a stream on a helper thread, a few chunks ahead of the consumer. The unpacker uses it so that
 * decompressing and hashing (CPU in user space) overlap with writing files (mostly kernel time), which
 * on two cores is most of the way to doing both at once.
 *
 * <p>The helper thread owns the wrapped stream: it reads it to the end, runs {@code afterEnd} there
 * (the unpacker drains the raw blob in it, so the caller's stream is only ever read by one thread),
 * and closes it. A failure on the helper thread is rethrown, as the same object, by the consumer's
 * next read. {@link #close} stops the helper early and waits for it, so nothing it used is freed
 * under it.
 */
final class ReadAheadInputStream extends InputStream {
    /** Work run on the helper thread after the wrapped stream's end. */
    interface AfterEnd {
        void run() throws IOException;
    }

    private static final long CLOSE_WAIT_SECONDS = 60;
    private static final byte[] END = new byte[0];

    private final BlockingQueue<byte[]> free;
    private final BlockingQueue<Object> filled;
    private final Thread helper;
    private volatile boolean stopping;
    private byte[] current;
    private int currentLength;
    private int pos;
    private boolean ended;

    ReadAheadInputStream(InputStream in, int chunkSize, int depth, AfterEnd afterEnd) {
        free = new ArrayBlockingQueue<>(depth);
        filled = new ArrayBlockingQueue<>(depth + 1);
        for (int i = 0; i < depth; i++) {
            free.add(new byte[chunkSize]);
        }
        helper = Thread.ofPlatform().daemon().name("layer-read-ahead").start(() -> produce(in, afterEnd));
    }

    private void produce(InputStream in, AfterEnd afterEnd) {
        Object last = END;
        try (in) {
            while (!stopping) {
                byte[] buf = free.take();
                int n = in.readNBytes(buf, 0, buf.length);
                if (n > 0) {
                    filled.put(new Filled(buf, n));
                }
                if (n < buf.length) {
                    afterEnd.run();
                    break;
                }
            }
        } catch (InterruptedException e) {
            return; // stopped by close(): nobody reads any more
        } catch (Throwable t) {
            last = t;
        }
        filled.offer(last);
    }

    private record Filled(byte[] buf, int length) {
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (current == null || pos == currentLength) {
            if (!next()) {
                return -1;
            }
        }
        int n = Math.min(len, currentLength - pos);
        System.arraycopy(current, pos, b, off, n);
        pos += n;
        return n;
    }

    private boolean next() throws IOException {
        if (ended) {
            return false;
        }
        if (current != null) {
            free.add(current);
            current = null;
        }
        Object item;
        try {
            item = filled.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while waiting for layer data");
        }
        if (item instanceof Filled f) {
            current = f.buf();
            currentLength = f.length();
            pos = 0;
            return true;
        }
        ended = true;
        if (item == END) {
            return false;
        }
        if (item instanceof IOException e) {
            throw e;
        }
        if (item instanceof RuntimeException e) {
            throw e;
        }
        throw (Error) item;
    }

    @Override
    public void close() throws IOException {
        stopping = true;
        helper.interrupt();
        try {
            // The helper may sit in a read of the caller's stream, which an interrupt does not end.
            if (!helper.join(java.time.Duration.ofSeconds(CLOSE_WAIT_SECONDS))) {
                throw new IOException("layer reader thread did not stop within " + CLOSE_WAIT_SECONDS + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while stopping the layer reader");
        }
    }
}
