package dev.berth.registry;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.Arrays;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A bounded hand-off from the downloading thread to a {@link BlobStreamConsumer}. The bound gives
 * back-pressure (a slow unpack slows the download instead of buffering the layer in memory); the
 * end marker is sent only after the blob is committed, so EOF means verified.
 */
final class StreamTee {
    /** 32 chunks of at most 64 KiB: 2 MiB in flight per layer at most. */
    static final int QUEUE_CHUNKS = 32;
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue = new ArrayBlockingQueue<>(QUEUE_CHUNKS);
    private volatile boolean readerGone;
    private volatile boolean finished;

    /** Copies and hands over; drops silently once the consumer has stopped reading. */
    void write(byte[] b, int off, int len) throws InterruptedIOException {
        if (len > 0) {
            put(Arrays.copyOfRange(b, off, off + len));
        }
    }

    /** The blob is committed: the consumer may now see EOF. */
    void finish() throws InterruptedIOException {
        if (!finished) {
            finished = true;
            put(END);
        }
    }

    void fail(Throwable cause) {
        if (!finished) {
            finished = true;
            try {
                put(cause);
            } catch (InterruptedIOException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private void put(Object item) throws InterruptedIOException {
        try {
            while (!readerGone) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while handing a blob to its consumer");
        }
    }

    InputStream input() {
        return new InputStream() {
            private byte[] current = new byte[0];
            private int pos;
            private boolean eof;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (len == 0) {
                    return 0;
                }
                while (pos >= current.length) {
                    if (eof) {
                        return -1;
                    }
                    Object next;
                    try {
                        next = queue.take();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new InterruptedIOException("interrupted while waiting for blob data");
                    }
                    if (next == END) {
                        eof = true;
                        return -1;
                    }
                    if (next instanceof Throwable t) {
                        eof = true;
                        String message = t instanceof BerthException ? t.getMessage() : "blob download failed: " + t;
                        throw new IOException(message, t);
                    }
                    current = (byte[]) next;
                    pos = 0;
                }
                int n = Math.min(len, current.length - pos);
                System.arraycopy(current, pos, b, off, n);
                pos += n;
                return n;
            }

            @Override
            public void close() {
                readerGone = true;
                queue.clear();
            }
        };
    }
}
