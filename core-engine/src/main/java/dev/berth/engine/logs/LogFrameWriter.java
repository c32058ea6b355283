package dev.berth.engine.logs;

import java.io.IOException;

/** Writes container output to a client: framed by stream without a TTY, raw with one. */
public interface LogFrameWriter {
    void write(StdStream stream, byte[] b, int off, int len) throws IOException;

    default void write(StdStream stream, byte[] b) throws IOException {
        write(stream, b, 0, b.length);
    }

    void flush() throws IOException;
}
