package dev.berth.engine.logs;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * The client side of stdcopy: splits a multiplexed body back into its streams, as StdCopy does. A
 * SYSTEMERR frame is the daemon reporting a failure after it already answered 200, so it becomes an
 * exception with Docker's wording rather than output.
 */
public final class DemultiplexingReader {

    /** One frame; the payload is exactly the frame's bytes. */
    public record Frame(StdStream stream, byte[] payload) {
    }

    private final InputStream in;
    private final byte[] header = new byte[MultiplexedWriter.HEADER];

    public DemultiplexingReader(InputStream in) {
        this.in = Objects.requireNonNull(in);
    }

    /** The next frame, or null at a clean end of the stream (between frames). */
    public Frame next() throws IOException {
        int got = readUpTo(header, header.length);
        if (got == 0) {
            return null;
        }
        if (got < header.length) {
            throw new EOFException("multiplexed stream ended inside a frame header");
        }
        StdStream stream = StdStream.ofId(header[0] & 0xff);
        if (stream == null) {
            throw new IOException("unrecognized stream: " + (header[0] & 0xff));
        }
        long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8)
                | (header[7] & 0xff);
        if (size > Integer.MAX_VALUE - 8) {
            throw new IOException("multiplexed frame of " + size + " bytes is too large");
        }
        byte[] payload = new byte[(int) size];
        if (readUpTo(payload, payload.length) < payload.length) {
            throw new EOFException("multiplexed stream ended inside a frame of " + size + " bytes");
        }
        return new Frame(stream, payload);
    }

    /**
     * Copies stdout (and stdin, as StdCopy does) to {@code out} and stderr to {@code err} until the end.
     * Returns the number of payload bytes written.
     */
    public long copyTo(OutputStream out, OutputStream err) throws IOException {
        long written = 0;
        for (Frame f = next(); f != null; f = next()) {
            switch (f.stream()) {
                case STDIN, STDOUT -> out.write(f.payload());
                case STDERR -> err.write(f.payload());
                case SYSTEMERR -> throw new IOException("error from daemon in stream: "
                        + new String(f.payload(), StandardCharsets.UTF_8));
            }
            written += f.payload().length;
        }
        return written;
    }

    private int readUpTo(byte[] b, int len) throws IOException {
        int n = 0;
        while (n < len) {
            int r = in.read(b, n, len - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }
}
