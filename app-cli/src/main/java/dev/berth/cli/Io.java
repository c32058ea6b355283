package dev.berth.cli;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.IntSupplier;

/**
 * What a CLI run talks to: its streams, environment, terminal and clock. Tests build their own; a
 * real run uses {@link #system()}.
 *
 * @param rawOut stdout as bytes, for {@code save} to write a tar through
 * @param width  the terminal's width in columns, asked only when progress bars are drawn
 */
public record Io(InputStream in, PrintStream out, PrintStream err, OutputStream rawOut, Map<String, String> env,
                 BooleanSupplier stdinIsTerminal, BooleanSupplier stdoutIsTerminal, IntSupplier width, Clock clock) {

    /** The process's own streams, buffered (flushed by {@link Main}), with terminal detection. */
    public static Io system() {
        OutputStream stdout = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);
        PrintStream out = new PrintStream(stdout, false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        return new Io(new FileInputStream(FileDescriptor.in), out, err, out, System.getenv(),
                () -> Terminal.isTerminal(0), () -> Terminal.isTerminal(1), () -> Terminal.width(System.getenv()),
                Clock.systemUTC());
    }
}
