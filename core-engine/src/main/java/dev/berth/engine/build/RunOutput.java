package dev.berth.engine.build;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * A RUN container's multiplexed log stream (stdcopy frames) turned into build output, one message
 * per line as Docker's classic builder flushes them; the last lines are kept for the error message.
 */
final class RunOutput extends OutputStream {
    private final BuildOutput out;
    private final boolean quiet;
    private final byte[] header = new byte[8];
    private int headerFill;
    private long remaining;
    private final ByteArrayOutputStream line = new ByteArrayOutputStream();

    RunOutput(BuildOutput out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    @Override
    public void write(int b) {
        write(new byte[]{(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) {
        int i = off;
        int end = off + len;
        while (i < end) {
            if (remaining == 0) {
                header[headerFill++] = b[i++];
                if (headerFill == 8) {
                    headerFill = 0;
                    remaining = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
                }
                continue;
            }
            byte c = b[i++];
            remaining--;
            line.write(c);
            if (c == '\n') {
                emit();
            }
        }
    }

    private void emit() {
        if (line.size() > 0) {
            if (!quiet) {
                out.stream(line.toString(StandardCharsets.UTF_8));
            }
            line.reset();
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        emit();
    }
}
