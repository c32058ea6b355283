package dev.berth.desktop.detail.terminal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.HijackedConnection;
import dev.berth.images.Json;

import java.io.Closeable;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * {@code docker exec -it <id> sh}: an exec with a TTY over a hijacked connection. Output is decoded as
 * UTF-8 into a {@link TerminalScreen} on a reader thread (the TTY's stream is raw, not multiplexed);
 * keys go to the exec's stdin; window size changes go to {@code /exec/{id}/resize}.
 */
public final class TerminalSession implements Closeable {
    private final ContainerClient client;
    private final String execId;
    private final HijackedConnection conn;
    private final OutputStream stdin;
    private final TerminalScreen screen;
    private final Thread reader;
    private volatile boolean closed;

    private TerminalSession(ContainerClient client, String execId, HijackedConnection conn, TerminalScreen screen,
                            Runnable onOutput, Consumer<Throwable> onEnd) {
        this.client = client;
        this.execId = execId;
        this.conn = conn;
        this.stdin = conn.output();
        this.screen = screen;
        this.reader = Thread.ofPlatform().daemon().name("berth-terminal").unstarted(() -> {
            Throwable failure = null;
            try (Reader r = new InputStreamReader(conn.input(), StandardCharsets.UTF_8)) {
                char[] buf = new char[8192];
                int n;
                while ((n = r.read(buf)) > 0) {
                    screen.feed(new String(buf, 0, n));
                    onOutput.run();
                }
            } catch (IOException | RuntimeException e) {
                failure = closed ? null : e;
            } finally {
                onEnd.accept(failure);
            }
        });
    }

    public static TerminalSession open(ContainerClient client, String containerId, String shell, TerminalScreen screen,
                                       Runnable onOutput, Consumer<Throwable> onEnd) {
        ObjectNode cfg = Json.MAPPER.createObjectNode()
                .put("AttachStdin", true).put("AttachStdout", true).put("AttachStderr", true).put("Tty", true);
        cfg.putArray("Cmd").add(shell);
        cfg.putArray("Env").add("TERM=xterm");
        // No ConsoleSize: the widget may not be laid out yet, and conmon applies only the first size that piles
        // up in its control FIFO while runc exec runs, so a stale 24x80 would beat the real size sent after open.
        String execId = client.execCreate(containerId, cfg);
        HijackedConnection conn = client.execStart(execId, true);
        TerminalSession s = new TerminalSession(client, execId, conn, screen, onOutput, onEnd);
        s.reader.start();
        return s;
    }

    public String execId() {
        return execId;
    }

    public TerminalScreen screen() {
        return screen;
    }

    /** Keys go out one after the other on one thread: sent from several, they could reach the process out of order. */
    private final java.util.concurrent.ExecutorService writer = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofVirtual().name("berth-terminal-input").factory());

    /** Queues {@code bytes} for the process, after everything queued before (any thread; does not block). */
    public void sendLater(byte[] bytes, Consumer<IOException> failed) {
        try {
            writer.execute(() -> {
                try {
                    send(bytes);
                } catch (IOException e) {
                    if (!closed) {
                        failed.accept(e);
                    }
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed: the keys have nowhere to go
        }
    }

    public void send(byte[] bytes) throws IOException {
        synchronized (stdin) {
            stdin.write(bytes);
            stdin.flush();
        }
    }

    /** The widget's new size in cells: the screen follows at once, the process gets SIGWINCH. */
    public void resize(int rows, int cols) {
        requestResize(rows, cols);
        sendSize();
    }

    /**
     * The screen takes the new size now, on the caller's thread, so sizes are taken in the order they
     * come; {@link #sendSize} tells the process later. A window resized by dragging changes width and
     * height one after the other: two requests sent on two threads could reach the engine in either
     * order and leave the process with the older size.
     */
    public void requestResize(int rows, int cols) {
        screen.resize(rows, cols);
        wantedSize.set(new int[] {rows, cols});
    }

    /**
     * Sends the newest requested size, if one is waiting (blocking: off the UI thread). Right after the
     * exec starts the engine may not run its process yet and refuses the resize ("is not running"): it is
     * tried again a few times, as docker's CLI does, with the newest size each time.
     */
    public void sendSize() {
        synchronized (wantedSize) {
            if (wantedSize.get() == null) {
                return;
            }
            spaceFromLastSize();
            int[] size = wantedSize.getAndSet(null);
            for (int attempt = 1; size != null; attempt++) {
                try {
                    client.execResize(execId, size[0], size[1]);
                    lastSizeSent = System.nanoTime();
                    return;
                } catch (RuntimeException e) {
                    if (attempt >= 10 || closed) {
                        throw e;
                    }
                    try {
                        Thread.sleep(50L * attempt);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                        throw e;
                    }
                    int[] newer = wantedSize.getAndSet(null);
                    size = newer != null ? newer : size;
                }
            }
        }
    }

    private final java.util.concurrent.atomic.AtomicReference<int[]> wantedSize = new java.util.concurrent.atomic.AtomicReference<>();
    /** When the last size went out (guarded by {@link #wantedSize}). */
    private long lastSizeSent;

    /**
     * Two sizes written to conmon's control FIFO within one read of it are taken as one message, the first:
     * a drag that changes width, then height, left the process with the older size. Sizes go out at least
     * this far apart.
     */
    private void spaceFromLastSize() {
        long wait = lastSizeSent + 100_000_000L - System.nanoTime();
        if (lastSizeSent != 0 && wait > 0) {
            try {
                Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    public boolean isAlive() {
        return reader.isAlive();
    }

    @Override
    public void close() {
        closed = true;
        writer.shutdownNow();
        conn.close();
    }
}
