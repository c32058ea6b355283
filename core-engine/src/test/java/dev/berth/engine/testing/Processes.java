package dev.berth.engine.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.fail;

/** Runs real programs (docker, skopeo, berth) with a bounded wait. */
public final class Processes {
    public record Result(int exitCode, String stdout, String stderr) {
        public Result assertOk() {
            if (exitCode != 0) {
                fail("exit " + exitCode + "\nstdout: " + stdout + "\nstderr: " + stderr);
            }
            return this;
        }
    }

    private Processes() {
    }

    public static Result run(Map<String, String> env, byte[] stdin, long timeoutSeconds, String... command) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command);
            pb.environment().putAll(env);
            Process p = pb.start();
            CompletableFuture<byte[]> out = drain(p.getInputStream());
            CompletableFuture<byte[]> err = drain(p.getErrorStream());
            try (var in = p.getOutputStream()) {
                if (stdin != null) {
                    in.write(stdin);
                }
            } catch (IOException ignored) {
                // The program may exit without reading its input.
            }
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                fail("timed out after " + timeoutSeconds + "s: " + String.join(" ", command));
            }
            return new Result(p.exitValue(), new String(out.join(), StandardCharsets.UTF_8),
                    new String(err.join(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * A thread per stream being drained: the common pool has one worker on a two-core machine, so
     * processes run concurrently had their output drained one after another and finished in turn.
     */
    private static final java.util.concurrent.ExecutorService DRAINERS = java.util.concurrent.Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "process-drain");
        t.setDaemon(true);
        return t;
    });

    private static CompletableFuture<byte[]> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            try {
                in.transferTo(b);
            } catch (IOException ignored) {
                // Process ended; keep what we have.
            }
            return b.toByteArray();
        }, DRAINERS);
    }

    /** The docker CLI against {@code host}, with a private config dir so the user's is untouched. */
    public static Result docker(String host, Path configDir, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(requireBinary("docker"));
        cmd.addAll(List.of(args));
        return run(Map.of("DOCKER_HOST", host, "DOCKER_CONFIG", configDir.toString(), "DOCKER_BUILDKIT", "0",
                "DOCKER_CLI_HINTS", "false"), null, 180, cmd.toArray(String[]::new));
    }

    /**
     * The path of a prerequisite program. Missing in CI fails the test; elsewhere it skips it, so a
     * developer without the package is told what to install instead of seeing a false failure.
     */
    public static String requireBinary(String name) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        String msg = name + " is not installed; bin/run-tests installs it";
        if ("true".equals(System.getenv("CI"))) {
            fail(msg);
        }
        org.junit.jupiter.api.Assumptions.abort(msg);
        return null;
    }
}
