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
        cfg.putArray("ConsoleSize").add(screen.rows()).add(screen.cols());
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

    public void send(byte[] bytes) throws IOException {
        synchronized (stdin) {
            stdin.write(bytes);
            stdin.flush();
        }
    }

    /** The widget's new size in cells: the screen follows at once, the process gets SIGWINCH. */
    public void resize(int rows, int cols) {
        screen.resize(rows, cols);
        client.execResize(execId, rows, cols);
    }

    public boolean isAlive() {
        return reader.isAlive();
    }

    @Override
    public void close() {
        closed = true;
        conn.close();
    }
}
