package dev.berth.engine.logs;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Objects;

/** With a TTY there is one stream, the terminal, so Docker sends the bytes as they are. */
public final class RawWriter implements LogFrameWriter {
    private final OutputStream out;

    public RawWriter(OutputStream out) {
        this.out = Objects.requireNonNull(out);
    }

    @Override
    public void write(StdStream stream, byte[] b, int off, int len) throws IOException {
        out.write(b, off, len);
    }

    @Override
    public void flush() throws IOException {
        out.flush();
    }
}
