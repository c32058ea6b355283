package dev.berth.engine.images;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** {@code docker import URL}: the tarball the engine downloads itself, as moby's import route does. */
public final class ImportDownload {
    private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(30);

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

    /** Opens the body; a non-2xx answer or an unreachable host is the user's to fix. */
    public static InputStream open(URI uri) throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(CONNECT_TIMEOUT)
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        HttpResponse<InputStream> resp;
        try {
            resp = http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (IOException e) {
            throw BerthException.invalid("cannot download " + uri + ": " + e);
        }
        if (resp.statusCode() / 100 != 2) {
            resp.body().close();
            throw BerthException.invalid("failed to GET " + uri + " with status " + resp.statusCode());
        }
        return resp.body();
    }
}
