package dev.berth.engine.client;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Docker's stdcopy: a multiplexed stream is a sequence of frames, each an 8-byte header (stream
 * byte: 0 stdin, 1 stdout, 2 stderr, 3 system error; three zero bytes; big-endian length) and then
 * that many bytes. A TTY's stream is raw and carries no frames.
 */
public final class StdStreams {
    public static final int STDIN = 0;
    public static final int STDOUT = 1;
    public static final int STDERR = 2;
    /** A frame the engine writes when the stream failed; its payload is the error message. */
    public static final int SYSTEMERR = 3;

    private StdStreams() {
    }

    /** Receives one frame's payload. */
    public interface FrameSink {
        void frame(int stream, byte[] payload, int length) throws IOException;
    }

    /**
     * Copies frames to {@code stdout} and {@code stderr} until end of stream, flushing after each.
     *
     * @throws IOException also for a {@link #SYSTEMERR} frame, with its message
     */
    public static void demultiplex(InputStream in, OutputStream stdout, OutputStream stderr) throws IOException {
        read(in, (stream, payload, length) -> {
            switch (stream) {
                case STDIN, STDOUT -> {
                    stdout.write(payload, 0, length);
                    stdout.flush();
                }
                case STDERR -> {
                    stderr.write(payload, 0, length);
                    stderr.flush();
                }
                case SYSTEMERR -> throw new IOException("error from daemon in stream: "
                        + new String(payload, 0, length, java.nio.charset.StandardCharsets.UTF_8));
                default -> throw new IOException("Unrecognized input header: " + stream);
            }
        });
    }

    /** Reads frames until end of stream. */
    public static void read(InputStream in, FrameSink sink) throws IOException {
        byte[] header = new byte[8];
        byte[] payload = new byte[32 * 1024];
        while (true) {
            int n = in.readNBytes(header, 0, 8);
            if (n == 0) {
                return;
            }
            if (n < 8) {
                throw new EOFException("truncated stream header");
            }
            int length = ((header[4] & 0xff) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            if (length < 0) {
                throw new IOException("bad frame length");
            }
            if (payload.length < length) {
                payload = new byte[length];
            }
            if (in.readNBytes(payload, 0, length) < length) {
                throw new EOFException("truncated stream frame");
            }
            sink.frame(header[0] & 0xff, payload, length);
        }
    }

    /** One frame's header, for writing a multiplexed stream (tests and fakes). */
    public static byte[] header(int stream, int length) {
        return new byte[] {(byte) stream, 0, 0, 0, (byte) (length >>> 24), (byte) (length >>> 16), (byte) (length >>> 8),
                (byte) length};
    }
}
