package dev.berth.engine.attach;

import dev.berth.engine.logs.LogFrameWriter;
import dev.berth.engine.logs.MultiplexedWriter;
import dev.berth.engine.logs.RawWriter;
import dev.berth.engine.logs.StdStream;
import dev.berth.engine.runtime.AttachSocket;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Copies between one hijacked API connection and conmon's attach socket until one side ends: the
 * process's output to the client (multiplexed without a TTY, raw with one), the client's stdin to the
 * process, through the detach-key filter.
 *
 * <p>It ends when conmon closes the socket (the process exited and its output is drained), when the
 * client types the detach keys (the process keeps running), or when the client goes away (a failed
 * write, a failed read, or {@code clientOpen} turning false while nothing is written). Either way both
 * copying threads are gone when {@link #run} returns, so a killed client leaks neither.
 *
 * <p>The copying runs on two platform threads because the socket calls block in native code, which
 * would pin a virtual thread's carrier for as long as the container is quiet.
 */
public final class AttachSession {
    private static final Logger LOG = Logger.getLogger(AttachSession.class.getName());
    /** How often the waiting thread checks that the client is still connected. */
    static final Duration CLIENT_CHECK = Duration.ofMillis(200);
    static final Duration JOIN = Duration.ofSeconds(5);

    public enum End {
        /** The process exited, or conmon went away. */
        EXITED,
        /** The client typed the detach keys. */
        DETACHED,
        /** The client hung up or was killed. */
        CLIENT_GONE
    }

    /**
     * @param stdin          the client's stdin, or null when it is not attached (then it is only
     *                       watched for the hang-up)
     * @param closeStdinAtEof when the client ends its stdin, end the process's (shutdown of our write side)
     */
    public record Options(boolean tty, boolean stdout, boolean stderr, boolean closeStdinAtEof, DetachKeys detachKeys) {
    }

    private final AttachSocket socket;
    private final InputStream clientIn;
    private final boolean stdinAttached;
    private final OutputStream clientOut;
    private final BooleanSupplier clientOpen;
    private final Options options;
    private final CompletableFuture<End> end = new CompletableFuture<>();

    public AttachSession(AttachSocket socket, InputStream clientIn, boolean stdinAttached, OutputStream clientOut,
                         BooleanSupplier clientOpen, Options options) {
        this.socket = socket;
        this.clientIn = clientIn;
        this.stdinAttached = stdinAttached;
        this.clientOut = clientOut;
        this.clientOpen = clientOpen;
        this.options = options;
    }

    /**
     * Runs until the session ends; {@code closeClient} is called once the copying is over (it must make a
     * blocked read of {@code clientIn} fail). The socket is closed on return.
     */
    public End run(String name, Runnable closeClient) {
        return run(name, () -> { }, closeClient);
    }

    /**
     * As {@link #run(String, Runnable)}; {@code onExited} runs when the process's output ended and before
     * the client is let go, so that what the client asks next (an exec's exit code) is already known.
     */
    public End run(String name, Runnable onExited, Runnable closeClient) {
        Thread out = Thread.ofPlatform().daemon().name("berth-attach-out-" + name).start(this::copyOutput);
        Thread in = Thread.ofPlatform().daemon().name("berth-attach-in-" + name).start(this::copyInput);
        End how;
        try {
            how = awaitEnd();
            if (how == End.EXITED) {
                onExited.run();
            }
        } finally {
            socket.shutdown();
            closeClient.run();
            join(out);
            join(in);
            socket.close();
        }
        return how;
    }

    private End awaitEnd() {
        while (true) {
            try {
                return end.get(CLIENT_CHECK.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                if (!clientOpen.getAsBoolean()) {
                    return End.CLIENT_GONE;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return End.CLIENT_GONE;
            } catch (ExecutionException e) {
                return End.EXITED;
            }
        }
    }

    private static void join(Thread t) {
        try {
            if (!t.join(JOIN)) {
                LOG.warning(() -> t.getName() + " did not end in " + JOIN.toSeconds() + "s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void copyOutput() {
        LogFrameWriter w = options.tty() ? new RawWriter(clientOut) : new MultiplexedWriter(clientOut);
        byte[] buf = new byte[AttachSocket.PACKET_SIZE];
        try {
            while (true) {
                int n = socket.read(buf);
                if (n < 0) {
                    end.complete(End.EXITED);
                    return;
                }
                if (n < 2) {
                    continue;
                }
                boolean err = buf[0] == AttachSocket.STDERR;
                if (err ? !options.stderr() : !options.stdout()) {
                    continue;
                }
                try {
                    w.write(err && !options.tty() ? StdStream.STDERR : StdStream.STDOUT, buf, 1, n - 1);
                    w.flush();
                } catch (IOException e) {
                    end.complete(End.CLIENT_GONE);
                    return;
                }
            }
        } catch (IOException e) {
            LOG.log(Level.FINE, "attach socket read failed", e);
            end.complete(End.EXITED);
        }
    }

    private void copyInput() {
        DetachKeys.Matcher detach = options.detachKeys().matcher();
        byte[] buf = new byte[AttachSocket.MAX_WRITE];
        boolean socketOpen = true;
        try {
            while (!end.isDone()) {
                int n = clientIn.read(buf, 0, buf.length);
                if (n < 0) {
                    if (stdinAttached && options.closeStdinAtEof()) {
                        socket.shutdownOutput();
                    }
                    return; // output may still flow: the session goes on
                }
                if (!stdinAttached) {
                    continue;
                }
                byte[] pass = detach.filter(buf, n);
                if (pass.length > 0 && socketOpen) {
                    try {
                        socket.write(pass, 0, pass.length);
                    } catch (IOException e) {
                        socketOpen = false; // the process is gone; the output side ends the session
                    }
                }
                if (detach.detached()) {
                    end.complete(End.DETACHED);
                    return;
                }
            }
        } catch (IOException e) {
            end.complete(End.CLIENT_GONE);
        }
    }
}
