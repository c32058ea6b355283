package dev.berth.engine.network;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Runs a helper program (ip, a CNI plugin) to completion with a hard deadline. A plugin that hangs
 * on a lock or a netlink call must not hang the daemon thread that asked for a container start.
 */
final class ProcessRunner {
    record Output(int exitCode, String stdout, String stderr) {
    }

    private ProcessRunner() {
    }

    static Output run(List<String> command, Map<String, String> env, byte[] stdin, Duration timeout) {
        Process p;
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            if (env != null) {
                pb.environment().putAll(env);
            }
            p = pb.start();
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE,
                    "cannot run " + command.getFirst() + ": " + e.getMessage(), e);
        }
        // Drained concurrently: a plugin writing more than a pipe buffer would otherwise block forever.
        CompletableFuture<byte[]> out = drain(p.getInputStream());
        CompletableFuture<byte[]> err = drain(p.getErrorStream());
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        } catch (IOException ignored) {
            // The program may exit without reading its input; its exit code says what happened.
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                throw new BerthException(ErrorCategory.UNAVAILABLE,
                        String.join(" ", command) + " timed out after " + timeout.toMillis() + " ms");
            }
            return new Output(p.exitValue(), text(out), text(err));
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCategory.UNAVAILABLE, "interrupted running " + command.getFirst(), e);
        }
    }

    private static String text(CompletableFuture<byte[]> f) throws InterruptedException {
        try {
            // The process has exited, so its pipes close; the bound only guards against a grandchild holding them.
            return new String(f.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8);
        } catch (ExecutionException | TimeoutException e) {
            return "";
        }
    }

    private static CompletableFuture<byte[]> drain(InputStream in) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try (in) {
                in.transferTo(b);
            } catch (IOException ignored) {
                // The process died; keep what it wrote.
            }
            f.complete(b.toByteArray());
        });
        return f;
    }
}
