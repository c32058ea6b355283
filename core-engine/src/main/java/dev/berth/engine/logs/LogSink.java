package dev.berth.engine.logs;

import java.io.IOException;

/** Receives lines from a {@link K8sLogReader}; it may throw because it usually writes to a client. */
@FunctionalInterface
public interface LogSink {
    void accept(LogLine line) throws IOException;
}
