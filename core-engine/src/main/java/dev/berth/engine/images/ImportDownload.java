package dev.berth.engine.images;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** {@code docker import URL}: the tarball the engine downloads itself, as moby's import route does. */
public final class ImportDownload {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);
    private static final Duration POLL = Duration.ofMillis(250);

    private ImportDownload() {
    }

    /** moby: a source without a scheme is taken as {@code http://…}; only http and https are fetched. */
    public static URI uri(String src) {
        String s = src.contains("://") ? src : "http://" + src;
        URI u;
        try {
            u = URI.create(s);
        } catch (IllegalArgumentException e) {
            throw BerthException.invalid("invalid import source " + src + ": " + e.getMessage());
        }
        if (!"http".equals(u.getScheme()) && !"https".equals(u.getScheme()) || u.getHost() == null) {
            throw BerthException.invalid("invalid import source " + src + ": only http and https URLs can be imported");
        }
        return u;
    }

    /**
     * How long a download may go without a byte (headers included) before it is given up; read per call
     * so a test can shorten it with {@code -Dberth.import.idleTimeoutSeconds}.
     */
    public static Duration idleTimeout() {
        return Duration.ofSeconds(Long.getLong("berth.import.idleTimeoutSeconds", 60));
    }

    /**
     * Downloads the body into a new file under {@code dir} (the blob store's {@code tmp}: same file
     * system, swept at start) and returns it; the caller imports from it and deletes it. Done before the
     * import takes the image store's content lock, so a slow or stalled server never holds up a delete
     * or a prune. A non-2xx answer, an unreachable host, a body cut short or {@code idle} without a byte
     * is the user's to fix, and leaves no file.
     */
    public static Path download(URI uri, Path dir, Duration idle) throws IOException {
        Files.createDirectories(dir);
        Path file = dir.resolve("import-download-" + UUID.randomUUID());
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        boolean done = false;
        try {
            CompletableFuture<HttpResponse<Path>> f = http.sendAsync(HttpRequest.newBuilder(uri).GET().build(),
                    info -> info.statusCode() / 100 == 2 ? HttpResponse.BodySubscribers.ofFile(file)
                            : HttpResponse.BodySubscribers.replacing(null));
            HttpResponse<Path> resp = await(f, uri, file, idle);
            if (resp.statusCode() / 100 != 2) {
                throw BerthException.invalid("failed to GET " + uri + " with status " + resp.statusCode());
            }
            done = true;
            return file;
        } finally {
            // Ends a cancelled exchange too; waiting for it means no late write can recreate the file.
            http.shutdownNow();
            try {
                http.awaitTermination(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!done) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** The response, once the body is all on disk; the file's growth is the sign of life. */
    private static HttpResponse<Path> await(CompletableFuture<HttpResponse<Path>> f, URI uri, Path file, Duration idle)
            throws IOException {
        long lastSize = -1;
        long lastProgress = System.nanoTime();
        while (true) {
            try {
                return f.get(POLL.toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                long size = Files.exists(file) ? Files.size(file) : 0;
                long now = System.nanoTime();
                if (size != lastSize) {
                    lastSize = size;
                    lastProgress = now;
                } else if (now - lastProgress >= idle.toNanos()) {
                    f.cancel(true);
                    throw BerthException.invalid("failed to GET " + uri + ": i/o timeout: no data received for "
                            + idle.toSeconds() + "s after " + size + " bytes");
                }
            } catch (ExecutionException e) {
                Throwable cause = e.getCause() == null ? e : e.getCause();
                throw BerthException.invalid("cannot download " + uri + ": " + cause);
            } catch (InterruptedException e) {
                f.cancel(true);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }
    }
}
