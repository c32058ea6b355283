package dev.berth.cli.commands;

import dev.berth.cli.Cli;
import dev.berth.cli.RawTerminal;
import dev.berth.cli.UsageError;
import dev.berth.engine.client.EngineApiException;
import dev.berth.engine.client.HijackedConnection;
import dev.berth.engine.client.StdStreams;
import dev.berth.engine.attach.DetachKeys;
import dev.berth.errors.BerthException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;

/** What the container commands share: per-container loops with docker's error reporting, and stdio pumping. */
final class Containers {
    private Containers() {
    }

    /** One container's action; throws to report a failure for it. */
    interface Action {
        void apply(String name) throws Exception;
    }

    /** docker's wording of an engine error outside a stream. */
    static String message(BerthException e) {
        return e instanceof EngineApiException api && !api.fromStream() ? "Error response from daemon: " + e.getMessage()
                : e.getMessage();
    }

    /**
     * docker's loop for stop, kill, rm, pause, ...: each name printed once done, failures collected
     * and printed together at the end, exit status 1 if any failed.
     */
    static int forEach(Cli cli, List<String> names, Action action) throws Exception {
        List<String> errors = new ArrayList<>();
        for (String name : names) {
            try {
                action.apply(name);
                cli.io().out().println(name);
            } catch (BerthException e) {
                errors.add(message(e));
            }
        }
        if (!errors.isEmpty()) {
            throw new UsageError(String.join("\n", errors), 1);
        }
        return 0;
    }

    /**
     * Copies a hijacked stream's output to stdout/stderr (demultiplexed unless {@code tty}) until the
     * engine ends it, while a daemon thread copies stdin to it when {@code stdin}. Raw mode is set
     * for a TTY when stdin is a terminal.
     */
    static void pump(Cli cli, HijackedConnection conn, boolean tty, boolean stdin, Runnable afterRawMode) throws IOException {
        pump(cli, conn, tty, stdin, afterRawMode, null);
    }

    /**
     * As {@link #pump(Cli, HijackedConnection, boolean, boolean, Runnable)}; with a TTY the detach
     * keys ({@code detachKeys}, else ctrl-p ctrl-q) are watched for on stdin, as docker's escape
     * proxy does: they end the stream without reaching the container. Returns true if they did.
     */
    static boolean pump(Cli cli, HijackedConnection conn, boolean tty, boolean stdin, Runnable afterRawMode,
            String detachKeys) throws IOException {
        java.util.concurrent.atomic.AtomicBoolean detached = new java.util.concurrent.atomic.AtomicBoolean();
        DetachKeys.Matcher escape = null;
        if (tty && stdin) {
            try {
                escape = DetachKeys.parse(detachKeys).matcher();
            } catch (BerthException e) {
                cli.io().err().println("Invalid detach keys (" + detachKeys + ") provided");
                escape = DetachKeys.parse(null).matcher();
            }
        }
        DetachKeys.Matcher keys = escape;
        RawTerminal raw = null;
        if (tty && stdin && cli.io().stdinIsTerminal().getAsBoolean()) {
            raw = RawTerminal.enter(0);
        }
        try {
            if (afterRawMode != null) {
                afterRawMode.run();
            }
            if (stdin) {
                InputStream in = cli.io().in();
                Thread.ofPlatform().daemon().name("berth-stdin").start(() -> {
                    try {
                        OutputStream out = conn.output();
                        byte[] buffer = new byte[8192];
                        for (int n; (n = in.read(buffer)) >= 0; ) {
                            if (keys != null) {
                                byte[] pass = keys.filter(buffer, n);
                                out.write(pass);
                                out.flush();
                                if (keys.detached()) {
                                    detached.set(true);
                                    conn.close();
                                    return;
                                }
                                continue;
                            }
                            out.write(buffer, 0, n);
                            out.flush();
                        }
                    } catch (IOException ignored) {
                        // the container went away; its output side reports the end
                    } finally {
                        conn.closeWrite();
                    }
                });
            }
            OutputStream out = cli.io().rawOut();
            try {
                if (tty) {
                    InputStream in = conn.input();
                    byte[] buffer = new byte[8192];
                    for (int n; (n = in.read(buffer)) >= 0; ) {
                        out.write(buffer, 0, n);
                        out.flush();
                    }
                } else {
                    StdStreams.demultiplex(conn.input(), out, cli.io().err());
                }
            } catch (IOException e) {
                if (!detached.get() && e.getMessage() != null && e.getMessage().startsWith("error from daemon in stream")) {
                    throw e;
                }
                // the connection ended: the container exited or was removed
            }
        } finally {
            if (raw != null) {
                raw.close();
            }
            cli.io().out().flush();
        }
        return detached.get();
    }

    /** Keeps the container's TTY the size of ours: now and on every SIGWINCH. */
    static void monitorSize(Cli cli, java.util.function.BiConsumer<Integer, Integer> resize) {
        if (!cli.io().stdoutIsTerminal().getAsBoolean()) {
            return;
        }
        Runnable apply = () -> {
            int[] size = RawTerminal.size(1);
            if (size != null) {
                try {
                    resize.accept(size[0], size[1]);
                } catch (BerthException ignored) {
                    // a resize that fails (container gone) changes nothing
                }
            }
        };
        apply.run();
        // `stty rows R cols C` is two ioctls, two SIGWINCHs, and the JDK runs each handler on a thread of
        // its own: two resizes in flight could reach the engine in the wrong order and leave the old width.
        // One thread, reading the size when it runs, makes the last resize sent the terminal's last size.
        java.util.concurrent.ExecutorService inOrder = java.util.concurrent.Executors.newSingleThreadExecutor(
                r -> Thread.ofPlatform().daemon().name("berth-resize").unstarted(r));
        RawTerminal.onResize(() -> inOrder.execute(apply));
    }
}
