package dev.berth.registry;

import com.sun.net.httpserver.HttpServer;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * A loopback HTTP/1.1 proxy in front of a real registry that misbehaves on request: rate limits,
 * connections cut mid-body, truncated or altered blobs, ignored Range headers, replaced manifests,
 * blob redirects to a second host, and killing the registry mid-download. It speaks raw sockets so it
 * can cut a connection exactly where a test wants (a reset, not a polite close), one request per
 * connection. It records what clients sent, so tests can assert on headers.
 */
public final class FaultyProxy implements AutoCloseable {
    static final Pattern BLOB_GET = Pattern.compile("^/v2/.+/blobs/sha256:[0-9a-f]{64}$");
    static final Pattern MANIFEST = Pattern.compile("^/v2/.+/manifests/.+$");

    /** What a client sent: method, path with query, and headers (names lower-cased). */
    record Recorded(String method, String target, Map<String, String> headers) {
        String path() {
            int q = target.indexOf('?');
            return q < 0 ? target : target.substring(0, q);
        }
    }

    private final String upstream;
    private final ServerSocket server;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<Recorded> storageRequests = new CopyOnWriteArrayList<>();
    private final Map<String, byte[]> stash = new ConcurrentHashMap<>();
    private HttpServer storage;

    // Faults. Counters count down; a negative value means "always".
    private final AtomicInteger rateLimits = new AtomicInteger();
    volatile String retryAfter = "1";
    volatile String rateLimitRemaining;
    private final AtomicInteger drops = new AtomicInteger();
    volatile long dropAfterBytes;
    volatile boolean truncateBlobs;
    volatile boolean corruptBlobs;
    volatile boolean ignoreRange;
    volatile boolean redirectBlobs;
    volatile Runnable killAfterBytes;
    volatile byte[] replacementManifest;
    volatile String replacementContentType;
    private volatile boolean upstreamDead;

    public FaultyProxy(String upstreamHost) throws IOException {
        this.upstream = upstreamHost;
        this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.submit(this::acceptLoop);
    }

    public String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    List<Recorded> requests() {
        return List.copyOf(requests);
    }

    List<Recorded> storageRequests() {
        return List.copyOf(storageRequests);
    }

    /** Answer the next {@code times} requests matching the filter (manifests and blobs) with 429. */
    public void rateLimit(int times, String retryAfterValue, String remaining) {
        retryAfter = retryAfterValue;
        rateLimitRemaining = remaining;
        rateLimits.set(times);
    }

    /** Cut the next {@code times} blob downloads after {@code bytes} body bytes (negative: all). */
    public void dropBlobs(int times, long bytes) {
        dropAfterBytes = bytes;
        drops.set(times);
    }

    /** After {@code bytes} of the next blob body, run {@code kill} (stop the registry) and cut the connection. */
    public void killDuringBlob(long bytes, Runnable kill) {
        dropAfterBytes = bytes;
        killAfterBytes = kill;
    }

    /** Redirect blob GETs to a second server reached as {@code localhost}: a different host name. */
    void redirectBlobsToOtherHost() throws IOException {
        if (storage == null) {
            storage = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            storage.createContext("/", ex -> {
                try (ex) {
                    Map<String, String> h = new LinkedHashMap<>();
                    ex.getRequestHeaders().forEach((k, v) -> h.put(k.toLowerCase(Locale.ROOT), String.join(",", v)));
                    storageRequests.add(new Recorded(ex.getRequestMethod(), ex.getRequestURI().toString(), h));
                    byte[] body = stash.get(ex.getRequestURI().getPath());
                    if (body == null) {
                        ex.sendResponseHeaders(404, -1);
                        return;
                    }
                    ex.getResponseHeaders().set("Content-Type", "application/octet-stream");
                    ex.sendResponseHeaders(200, body.length);
                    ex.getResponseBody().write(body);
                }
            });
            storage.start();
        }
        redirectBlobs = true;
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try {
                Socket s = server.accept();
                threads.submit(() -> handle(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    private void handle(Socket socket) {
        try (socket) {
            InputStream in = new BufferedInputStream(socket.getInputStream());
            OutputStream out = socket.getOutputStream();
            in.mark(1);
            if (in.read() == 0x16) {
                // A TLS ClientHello: we speak plain HTTP only. Hang up, as an HTTP server's error would.
                reset(socket);
                return;
            }
            in.reset();
            String head = readHead(in);
            if (head == null) {
                return;
            }
            String[] lines = head.split("\r\n");
            String[] requestLine = lines[0].split(" ");
            String method = requestLine[0];
            String target = requestLine[1];
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
                }
            }
            byte[] body = readBody(in, headers);
            Recorded rec = new Recorded(method, target, headers);
            requests.add(rec);
            String path = rec.path();
            boolean blobGet = method.equals("GET") && BLOB_GET.matcher(path).matches();

            if ((BLOB_GET.matcher(path).matches() || MANIFEST.matcher(path).matches()) && take(rateLimits)) {
                Map<String, String> h = new LinkedHashMap<>();
                h.put("Retry-After", retryAfter);
                if (rateLimitRemaining != null) {
                    h.put("ratelimit-remaining", rateLimitRemaining);
                }
                h.put("Content-Type", "application/json");
                byte[] err = "{\"errors\":[{\"code\":\"TOOMANYREQUESTS\",\"message\":\"You have reached your pull rate limit.\"}]}"
                        .getBytes(StandardCharsets.UTF_8);
                writeResponse(out, 429, "Too Many Requests", h, err, method.equals("HEAD"));
                return;
            }
            if (upstreamDead) {
                reset(socket);
                return;
            }
            if (ignoreRange) {
                headers.remove("range");
            }
            HttpResponse<byte[]> up;
            try {
                up = forward(method, target, headers, body);
            } catch (IOException e) {
                // The registry is gone: the client sees its connection die, as it would without us.
                reset(socket);
                return;
            }
            Map<String, String> respHeaders = new LinkedHashMap<>();
            up.headers().map().forEach((k, v) -> {
                String lk = k.toLowerCase(Locale.ROOT);
                if (!Set.of(":status", "content-length", "transfer-encoding", "connection", "keep-alive").contains(lk)) {
                    respHeaders.put(k, String.join(", ", v).replace(upstream, host()));
                }
            });
            byte[] respBody = up.body();
            if (MANIFEST.matcher(path).matches() && replacementManifest != null && up.statusCode() == 200) {
                respBody = replacementManifest;
                respHeaders.keySet().removeIf(k -> k.equalsIgnoreCase("docker-content-digest")
                        || k.equalsIgnoreCase("content-type") || k.equalsIgnoreCase("etag"));
                respHeaders.put("Content-Type", replacementContentType);
            }
            if (method.equals("HEAD")) {
                up.headers().firstValue("content-length").ifPresent(v -> respHeaders.put("Content-Length", v));
                writeResponse(out, up.statusCode(), "OK", respHeaders, new byte[0], true);
                return;
            }
            if (blobGet && (up.statusCode() == 200 || up.statusCode() == 206)) {
                if (redirectBlobs) {
                    String id = "/blob/" + UUID.randomUUID();
                    stash.put(id, respBody);
                    writeResponse(out, 307, "Temporary Redirect",
                            Map.of("Location", "http://localhost:" + storage.getAddress().getPort() + id), new byte[0], false);
                    return;
                }
                if (corruptBlobs) {
                    respBody = respBody.clone();
                    respBody[respBody.length / 2] ^= 0x5a;
                }
                if (truncateBlobs) {
                    respBody = java.util.Arrays.copyOf(respBody, respBody.length / 2);
                }
                Runnable kill = killAfterBytes;
                if ((kill != null && respBody.length > dropAfterBytes) || take(drops)) {
                    long cut = Math.min(dropAfterBytes, respBody.length);
                    // Promise the whole body, deliver part of it, then reset: a connection lost mid-transfer.
                    respHeaders.put("Content-Length", String.valueOf(respBody.length));
                    writeHead(out, up.statusCode(), "OK", respHeaders);
                    out.write(respBody, 0, (int) cut);
                    out.flush();
                    if (kill != null && respBody.length > dropAfterBytes) {
                        killAfterBytes = null;
                        upstreamDead = true;
                        kill.run();
                        reset(socket); // a crashed peer: RST, and unread bytes are lost
                        return;
                    }
                    // A polite close short of Content-Length: the client gets exactly `cut` bytes,
                    // which keeps the resume offsets the tests assert deterministic.
                    socket.shutdownOutput();
                    in.transferTo(OutputStream.nullOutputStream());
                    return;
                }
            }
            writeResponse(out, up.statusCode(), "OK", respHeaders, respBody, false);
        } catch (IOException e) {
            // The client went away; nothing to tell anyone.
        }
    }

    private static boolean take(AtomicInteger counter) {
        while (true) {
            int n = counter.get();
            if (n == 0) {
                return false;
            }
            if (n < 0 || counter.compareAndSet(n, n - 1)) {
                return true;
            }
        }
    }

    private HttpResponse<byte[]> forward(String method, String target, Map<String, String> headers, byte[] body)
            throws IOException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + upstream + target)).timeout(Duration.ofSeconds(30));
        Set<String> restricted = Set.of("host", "connection", "content-length", "expect", "upgrade", "keep-alive",
                "transfer-encoding");
        headers.forEach((k, v) -> {
            if (!restricted.contains(k)) {
                b.header(k, v);
            }
        });
        b.method(method, body.length == 0 && !Set.of("PUT", "POST", "PATCH").contains(method)
                ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException(e);
        }
    }

    private static void reset(Socket socket) {
        try {
            socket.setSoLinger(true, 0); // close with RST, like a crashed peer
            socket.close();
        } catch (IOException ignored) {
            // Already gone.
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int state = 0;
        for (int c; (c = in.read()) >= 0; ) {
            head.write(c);
            state = (c == '\r' && (state == 0 || state == 2)) ? state + 1 : (c == '\n' && (state == 1 || state == 3)) ? state + 1 : 0;
            if (state == 4) {
                return head.toString(StandardCharsets.ISO_8859_1);
            }
        }
        return null;
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        String len = headers.get("content-length");
        if (len != null) {
            return in.readNBytes(Integer.parseInt(len));
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                StringBuilder size = new StringBuilder();
                for (int c; (c = in.read()) >= 0 && c != '\n'; ) {
                    if (c != '\r') {
                        size.append((char) c);
                    }
                }
                int n = Integer.parseInt(size.toString().split(";")[0].trim(), 16);
                if (n == 0) {
                    readHead(new java.io.SequenceInputStream(new java.io.ByteArrayInputStream("\r\n".getBytes()), in));
                    return body.toByteArray();
                }
                body.write(in.readNBytes(n));
                in.readNBytes(2);
            }
        }
        return new byte[0];
    }

    private static void writeHead(OutputStream out, int status, String reason, Map<String, String> headers) throws IOException {
        StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        sb.append("Connection: close\r\n\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.ISO_8859_1));
    }

    private static void writeResponse(OutputStream out, int status, String reason, Map<String, String> headers, byte[] body,
                                      boolean head) throws IOException {
        Map<String, String> h = new LinkedHashMap<>(headers);
        if (!head) {
            h.put("Content-Length", String.valueOf(body.length));
        }
        writeHead(out, status, reason, h);
        if (!head) {
            out.write(body);
        }
        out.flush();
    }

    /** Requests whose path matches; for assertions. */
    List<Recorded> requestsMatching(Predicate<Recorded> p) {
        List<Recorded> out = new ArrayList<>();
        for (Recorded r : requests) {
            if (p.test(r)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public void close() throws IOException {
        server.close();
        if (storage != null) {
            storage.stop(0);
        }
        threads.shutdownNow();
        http.close();
    }
}
