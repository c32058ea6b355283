package dev.berth.engine.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/**
 * Docker's stdcopy framing: each frame is {@code [stream, 0, 0, 0, uint32 big-endian length]} and then
 * the payload. Payloads above {@link #MAX_FRAME} are split, so no frame is larger than the 32 KiB that
 * stdcopy.StdCopy starts its buffer with; clients that read a frame into a fixed buffer then never
 * have to grow it. An empty write sends nothing: an empty frame tells a client nothing.
 */
public final class MultiplexedWriter implements LogFrameWriter {

    public static final int MAX_FRAME = 32 * 1024;
    public static final int HEADER = 8;

    private final OutputStream out;
    private final byte[] frame = new byte[HEADER + MAX_FRAME];

    public MultiplexedWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out);
    }

    @Override
    public void write(StdStream stream, byte[] b, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, b.length);
        while (len > 0) {
            int n = Math.min(len, MAX_FRAME);
            frame[0] = (byte) stream.id();
            frame[1] = 0;
            frame[2] = 0;
            frame[3] = 0;
            frame[4] = (byte) (n >>> 24);
            frame[5] = (byte) (n >>> 16);
            frame[6] = (byte) (n >>> 8);
            frame[7] = (byte) n;
            // Header and payload in one write so that an unbuffered socket gets one segment per frame.
            System.arraycopy(b, off, frame, HEADER, n);
            out.write(frame, 0, HEADER + n);
            off += n;
            len -= n;
        }
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
