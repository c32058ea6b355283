package dev.berth.engine.api;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;

/**
 * A request body as a blocking InputStream, fed by the event loop. Reading from the socket pauses
 * (autoRead off) while too much is queued, so a large {@code docker load} never sits in memory.
 */
final class BodyStream extends InputStream {
    private static final int HIGH_WATER = 4 << 20;
    private static final int LOW_WATER = 1 << 20;

    private final Channel channel;
    private final ArrayDeque<ByteBuf> queue = new ArrayDeque<>();
    private long queued;
    private boolean ended;
    private boolean discarding;
    private IOException failure;

    BodyStream(Channel channel) {
        this.channel = channel;
    }

    /** Event loop: more body arrived. */
    synchronized void offer(ByteBuf buf, boolean last) {
        if (discarding || failure != null) {
            buf.release();
        } else if (buf.isReadable()) {
            queue.add(buf);
            queued += buf.readableBytes();
            if (queued > HIGH_WATER) {
                channel.config().setAutoRead(false);
            }
        } else {
            buf.release();
        }
        if (last) {
            ended = true;
        }
        notifyAll();
    }

    /** Event loop: the connection went away. */
    synchronized void fail(IOException e) {
        failure = e;
        notifyAll();
    }

    synchronized boolean ended() {
        return ended;
    }

    /** The route is done with the body: drop what is queued and whatever still arrives. */
    synchronized void discard() {
        discarding = true;
        for (ByteBuf b : queue) {
            b.release();
        }
        queue.clear();
        queued = 0;
        channel.config().setAutoRead(true);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public synchronized int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        while (queue.isEmpty()) {
            if (ended) {
                return -1;
            }
            if (failure != null) {
                throw failure;
            }
            try {
                wait();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the request body", e);
            }
        }
        ByteBuf head = queue.peek();
        int n = Math.min(len, head.readableBytes());
        head.readBytes(b, off, n);
        if (!head.isReadable()) {
            queue.poll().release();
        }
        queued -= n;
        if (queued < LOW_WATER && !channel.config().isAutoRead()) {
            channel.config().setAutoRead(true);
        }
        return n;
    }

    /** Whether the client's connection is gone: a long build with no output to write notices no other way. */
    boolean peerGone() {
        return !channel.isActive();
    }
}
