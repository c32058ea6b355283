package dev.berth.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * A shell command on a pseudo-terminal of its own, through util-linux's {@code script}: what is
 * typed goes to the pty's master, what the command prints is collected. The pty is the command's
 * controlling terminal, so resizing it ({@code stty -F}) sends the foreground group SIGWINCH, as a
 * terminal window would.
 */
final class PtySession implements AutoCloseable {
    private final Process process;
    private final OutputStream keys;
    private final StringBuilder output = new StringBuilder();

    private PtySession(Process process) {
        this.process = process;
        this.keys = process.getOutputStream();
        Thread.ofPlatform().daemon().name("pty-output").start(() -> {
            byte[] buffer = new byte[4096];
            try (InputStream in = process.getInputStream()) {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    synchronized (output) {
                        output.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
                        output.notifyAll();
                    }
                }
            } catch (IOException ignored) {
                // the session ended
            }
        });
    }

    static PtySession start(Map<String, String> env, String shellCommand) throws IOException {
        ProcessBuilder pb = new ProcessBuilder("script", "-q", "-e", "-c", shellCommand, "/dev/null");
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        return new PtySession(pb.start());
    }

    void type(String text) throws IOException {
        keys.write(text.getBytes(StandardCharsets.ISO_8859_1));
        keys.flush();
    }

    String output() {
        synchronized (output) {
            return output.toString();
        }
    }

    /** Waits until the output after {@code from} contains {@code text}; returns the index just past it. */
    int await(String text, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (true) {
                int at = output.indexOf(text, from);
                if (at >= 0) {
                    return at + text.length();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("no \"" + text + "\" within " + timeout + "; output so far:\n" + output);
                }
                output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    /** Like {@link #await} but returns -1 instead of failing. */
    int poll(String text, int from, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (output) {
            while (true) {
                int at = output.indexOf(text, from);
                if (at >= 0) {
                    return at + text.length();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return -1;
                }
                output.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
            }
        }
    }

    int length() {
        synchronized (output) {
            return output.length();
        }
    }

    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            fail("the pty session did not end within " + timeout + "; output:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
    }
}
