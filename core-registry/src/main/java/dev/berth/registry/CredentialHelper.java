package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A {@code docker-credential-<name>} program, spoken to with the docker-credential-helpers protocol:
 * the action is the argument, input on stdin, JSON on stdout. Secrets travel only through the pipes,
 * never the command line, and are never put in an error message: a helper's stdout may echo them, so
 * only its exit status and stderr are reported.
 */
public final class CredentialHelper {
    /** What helpers print when they hold nothing for a server; not an error for us. */
    static final String NOT_FOUND_MESSAGE = "credentials not found in native keychain";
    /** A helper asking a desktop keyring may prompt; it must still not hang a pull forever. */
    static final Duration TIMEOUT = Duration.ofSeconds(60);
    /** Username a helper returns when Secret is an identity token rather than a password. */
    static final String TOKEN_USERNAME = "<token>";

    private final String name;
    private final Path executable;

    private CredentialHelper(String name, Path executable) {
        this.name = name;
        this.executable = executable;
    }

    /** Finds {@code docker-credential-<name>} on {@code searchPath}. */
    public static CredentialHelper find(String name, List<Path> searchPath) {
        String program = "docker-credential-" + name;
        for (Path dir : searchPath) {
            Path candidate = dir.resolve(program);
            if (Files.isExecutable(candidate)) {
                return new CredentialHelper(name, candidate);
            }
        }
        throw new BerthException(ErrorCategory.UNAVAILABLE, "error getting credentials - err: exec: \"" + program
                + "\": executable file not found in $PATH");
    }

    /** The directories of {@code $PATH}. */
    public static List<Path> systemPath() {
        String path = System.getenv("PATH");
        if (path == null) {
            return List.of();
        }
        return java.util.Arrays.stream(path.split(java.io.File.pathSeparator)).filter(s -> !s.isEmpty()).map(Path::of)
                .toList();
    }

    public String name() {
        return name;
    }

    public Optional<Credential> get(String serverUrl) {
        Result r = run("get", serverUrl);
        if (r.exit != 0) {
            if (r.output.contains(NOT_FOUND_MESSAGE) || r.error.contains(NOT_FOUND_MESSAGE)) {
                return Optional.empty();
            }
            throw failure("get", r);
        }
        JsonNode json;
        try {
            json = Json.MAPPER.readTree(r.output);
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "error getting credentials - err: "
                    + executable.getFileName() + " printed something that is not JSON");
        }
        String user = json.path("Username").asText(null);
        String secret = json.path("Secret").asText(null);
        if (TOKEN_USERNAME.equals(user)) {
            return Optional.of(Credential.identityToken(null, secret));
        }
        return Optional.of(Credential.basic(user, secret));
    }

    public void store(String serverUrl, Credential credential) {
        ObjectNode in = Json.MAPPER.createObjectNode();
        in.put("ServerURL", serverUrl);
        in.put("Username", credential.hasIdentityToken() ? TOKEN_USERNAME : credential.username());
        in.put("Secret", credential.hasIdentityToken() ? credential.identityToken() : credential.password());
        Result r = run("store", in.toString());
        if (r.exit != 0) {
            throw failure("store", r);
        }
    }

    public void erase(String serverUrl) {
        Result r = run("erase", serverUrl);
        if (r.exit != 0 && !(r.output.contains(NOT_FOUND_MESSAGE) || r.error.contains(NOT_FOUND_MESSAGE))) {
            throw failure("erase", r);
        }
    }

    private BerthException failure(String action, Result r) {
        String detail = r.error.isBlank() ? "exit status " + r.exit : r.error.strip();
        return new BerthException(ErrorCategory.UNAVAILABLE, "error " + action + " credentials - err: "
                + executable.getFileName() + ": " + detail);
    }

    private record Result(int exit, String output, String error) {
    }

    private Result run(String action, String input) {
        ProcessBuilder pb = new ProcessBuilder(executable.toString(), action);
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "error " + action + " credentials - err: cannot run "
                    + executable + ": " + e.getMessage());
        }
        try {
            // Both pipes drain on their own threads so a chatty helper cannot deadlock us.
            StringBuilder stdout = new StringBuilder();
            StringBuilder stderr = new StringBuilder();
            Thread outReader = drain(p.getInputStream(), stdout);
            Thread errReader = drain(p.getErrorStream(), stderr);
            try (OutputStream stdin = p.getOutputStream()) {
                stdin.write(input.getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // A helper that exits without reading its input reports through its exit status.
            }
            if (!p.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                throw new BerthException(ErrorCategory.UNAVAILABLE, "error " + action + " credentials - err: "
                        + executable.getFileName() + " did not answer within " + TIMEOUT.toSeconds() + "s");
            }
            outReader.join();
            errReader.join();
            return new Result(p.exitValue(), stdout.toString(), stderr.toString());
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new BerthException(ErrorCategory.UNAVAILABLE, "interrupted while running " + executable.getFileName(), e);
        }
    }

    private static Thread drain(InputStream in, StringBuilder sink) {
        return Thread.ofVirtual().start(() -> {
            try (in) {
                sink.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // The process died; its exit status tells the story.
            }
        });
    }
}
