package dev.berth.engine.client;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URLDecoder;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A scripted stand-in for an engine, for unit tests of the API client and of the CLI's output: a
 * small HTTP/1.1 server (keep-alive, chunked bodies both ways) on a Unix socket or on loopback TCP,
 * answering only the routes a test registers. It is not an engine and must not grow into one; tests
 * against the real daemon live elsewhere.
 */
public final class FakeEngine implements AutoCloseable {
    private static final Pattern VERSIONED = Pattern.compile("^/v(\\d+\\.\\d+)(/.*)$");

    /** Answers one request. */
    @FunctionalInterface
    public interface Handler {
        void handle(Exchange exchange) throws Exception;
    }

    /** A request as the fake saw it, for assertions. */
    public record Recorded(String method, String path, String version, Map<String, List<String>> query,
                           Map<String, String> headers, byte[] body) {
        public String query(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public String bodyText() {
            return body == null ? null : new String(body, StandardCharsets.UTF_8);
        }
    }

    private record Route(String method, Pattern path, Handler handler) {
    }

    private final ServerSocketChannel server;
    private final EngineEndpoint endpoint;
    private final Path socketPath;
    private final List<Route> routes = new CopyOnWriteArrayList<>();
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private final List<SocketChannel> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();
    private final Thread acceptor;
    private volatile String apiVersion = "1.47";
    private volatile boolean closed;

    private FakeEngine(ServerSocketChannel server, EngineEndpoint endpoint, Path socketPath) {
        this.server = server;
        this.endpoint = endpoint;
        this.socketPath = socketPath;
        this.acceptor = Thread.ofPlatform().daemon().name("fake-engine-accept").start(this::acceptLoop);
    }

    public static FakeEngine unix(Path socket) throws IOException {
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        return new FakeEngine(server, EngineEndpoint.unix(socket), socket);
    }

    public static FakeEngine tcp() throws IOException {
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.INET);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        int port = ((InetSocketAddress) server.getLocalAddress()).getPort();
        return new FakeEngine(server, EngineEndpoint.tcp("127.0.0.1", port), null);
    }

    public EngineEndpoint endpoint() {
        return endpoint;
    }

    /** The version {@code /_ping} and every answer advertise in {@code Api-Version}; null for none. */
    public FakeEngine apiVersion(String version) {
        this.apiVersion = version;
        return this;
    }

    /**
     * Registers a handler for {@code method} and a path regex matched against the path without its
     * {@code /vN.NN} prefix, e.g. {@code /images/(.+)/json}. Later registrations win.
     */
    public FakeEngine on(String method, String pathRegex, Handler handler) {
        routes.addFirst(new Route(method, Pattern.compile(pathRegex), handler));
        return this;
    }

    /** Answers {@code method path} with this JSON and status. */
    public FakeEngine json(String method, String pathRegex, int status, String json) {
        return on(method, pathRegex, x -> x.json(status, json));
    }

    public List<Recorded> requests() {
        return Collections.unmodifiableList(requests);
    }

    /** The last request whose path (without version) matches, or null. */
    public Recorded last(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        for (int i = requests.size() - 1; i >= 0; i--) {
            Recorded r = requests.get(i);
            if (r.method().equals(method) && p.matcher(r.path()).matches()) {
                return r;
            }
        }
        return null;
    }

    public int connectionsAccepted() {
        return accepted.get();
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                SocketChannel ch = server.accept();
                accepted.incrementAndGet();
                connections.add(ch);
                Thread.ofVirtual().name("fake-engine-conn").start(() -> serve(ch));
            } catch (IOException e) {
                if (!closed) {
                    e.printStackTrace();
                }
                return;
            }
        }
    }

    private void serve(SocketChannel ch) {
        // Straight to the channel, whose reads and writes take separate locks on every JDK, so a
        // handler may answer while another thread still reads the request body.
        try (ch; InputStream raw = new BufferedInputStream(channelIn(ch));
             OutputStream out = channelOut(ch)) {
            while (!closed) {
                String requestLine = readLine(raw);
                if (requestLine == null || requestLine.isEmpty()) {
                    return;
                }
                Map<String, String> headers = new LinkedHashMap<>();
                for (String line; !(line = readLine(raw)).isEmpty(); ) {
                    int colon = line.indexOf(':');
                    headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
                String[] parts = requestLine.split(" ");
                Exchange x = new Exchange(parts[0], parts[1], headers, raw, out);
                handle(x);
                x.finish();
                if ("close".equalsIgnoreCase(headers.get("connection")) || x.closeAfter) {
                    return;
                }
            }
        } catch (IOException e) {
            // The client went away; nothing to answer.
        }
    }

    private void handle(Exchange x) throws IOException {
        try {
            if (x.path.equals("/_ping")) {
                x.respond(200, "text/plain; charset=utf-8", "OK".getBytes(StandardCharsets.UTF_8));
                return;
            }
            for (Route route : routes) {
                Matcher m = route.path.matcher(x.path);
                if (route.method.equals(x.method) && m.matches()) {
                    x.matcher = m;
                    route.handler.handle(x);
                    return;
                }
            }
            x.json(404, "{\"message\":\"page not found\"}");
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            if (!x.responded) {
                x.json(500, "{\"message\":\"fake engine handler failed: " + e.toString().replace("\"", "'") + "\"}");
            }
        } finally {
            x.recordOnce();
        }
    }

    private static InputStream channelIn(SocketChannel ch) {
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                return len == 0 ? 0 : ch.read(java.nio.ByteBuffer.wrap(b, off, len));
            }
        };
    }

    private static OutputStream channelOut(SocketChannel ch) {
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                java.nio.ByteBuffer buffer = java.nio.ByteBuffer.wrap(b, off, len);
                while (buffer.hasRemaining()) {
                    ch.write(buffer);
                }
            }
        };
    }

    static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            if (c == '\n') {
                byte[] b = line.toByteArray();
                int len = b.length > 0 && b[b.length - 1] == '\r' ? b.length - 1 : b.length;
                return new String(b, 0, len, StandardCharsets.ISO_8859_1);
            }
            line.write(c);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        closed = true;
        server.close();
        for (SocketChannel ch : connections) {
            ch.close();
        }
        if (socketPath != null) {
            Files.deleteIfExists(socketPath);
        }
    }

    /** One request and its answer. */
    public final class Exchange {
        private final String method;
        private final String rawPath;
        private final String path;
        private final String version;
        private final Map<String, List<String>> query = new LinkedHashMap<>();
        private final Map<String, String> headers;
        private final InputStream raw;
        private final OutputStream out;
        private final InputStream body;
        private byte[] bodyBytes;
        private boolean bodyStreamed;
        private boolean responded;
        private boolean recorded;
        private boolean closeAfter;
        private ChunkedOut chunked;
        private Matcher matcher;

        Exchange(String method, String target, Map<String, String> headers, InputStream raw, OutputStream out) {
            this.method = method;
            this.headers = headers;
            this.raw = raw;
            this.out = out;
            int q = target.indexOf('?');
            this.rawPath = q < 0 ? target : target.substring(0, q);
            if (q >= 0) {
                for (String pair : target.substring(q + 1).split("&")) {
                    if (pair.isEmpty()) {
                        continue;
                    }
                    int eq = pair.indexOf('=');
                    String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                    String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    query.computeIfAbsent(k, key -> new ArrayList<>()).add(v);
                }
            }
            Matcher m = VERSIONED.matcher(rawPath);
            this.version = m.matches() ? m.group(1) : null;
            this.path = m.matches() ? m.group(2) : rawPath;
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                this.body = new ChunkedIn(raw);
            } else {
                long length = Long.parseLong(headers.getOrDefault("content-length", "0"));
                this.body = new LimitedIn(raw, length);
            }
        }

        public String method() {
            return method;
        }

        /** The path without its {@code /vN.NN} prefix. */
        public String path() {
            return path;
        }

        /** The API version of the path prefix, or null when unversioned. */
        public String version() {
            return version;
        }

        /** A group of the route's path regex. */
        public String group(int i) {
            return matcher.group(i);
        }

        public String query(String name) {
            List<String> values = query.get(name);
            return values == null || values.isEmpty() ? null : values.getFirst();
        }

        public List<String> queryAll(String name) {
            return query.getOrDefault(name, List.of());
        }

        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        /** The request body, read as it arrives (the caller may read it on another thread). */
        public InputStream bodyStream() {
            bodyStreamed = true;
            return body;
        }

        public byte[] body() throws IOException {
            if (bodyBytes == null) {
                bodyBytes = body.readAllBytes();
            }
            return bodyBytes;
        }

        public String bodyText() throws IOException {
            return new String(body(), StandardCharsets.UTF_8);
        }

        public void json(int status, String json) throws IOException {
            respond(status, "application/json", json.getBytes(StandardCharsets.UTF_8));
        }

        public void respond(int status, String contentType, byte[] content) throws IOException {
            writeHead(status, contentType, "Content-Length: " + content.length);
            if (!method.equals("HEAD")) {
                // a HEAD answer has no body: the docker CLI's Go client would read it as the next answer
                out.write(content);
            }
            out.flush();
        }

        /** Starts a chunked answer; every write is sent at once as its own chunk. */
        public OutputStream stream(int status, String contentType) throws IOException {
            writeHead(status, contentType, "Transfer-Encoding: chunked");
            chunked = new ChunkedOut(out);
            return chunked;
        }

        /** Writes one line of a JSON stream (a chunk per line, as engines flush them). */
        public void line(OutputStream stream, String json) throws IOException {
            stream.write((json + "\r\n").getBytes(StandardCharsets.UTF_8));
        }

        /** Drops the connection after this exchange, as an engine that dies mid-way would. */
        public void closeConnection() {
            closeAfter = true;
        }

        /**
         * Records the request before any answer goes out: a test may look at it as soon as its client
         * returns, which can be before this handler thread runs another line.
         */
        void recordOnce() {
            if (!recorded) {
                recorded = true;
                requests.add(record());
            }
        }

        private void writeHead(int status, String contentType, String lengthHeader) throws IOException {
            if (responded) {
                throw new IllegalStateException("already answered");
            }
            recordOnce();
            responded = true;
            StringBuilder head = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason(status)).append("\r\n");
            if (apiVersion != null) {
                head.append("Api-Version: ").append(apiVersion).append("\r\n");
            }
            head.append("Ostype: linux\r\nServer: FakeEngine/1.0 (linux)\r\nDocker-Experimental: false\r\n");
            if (contentType != null) {
                head.append("Content-Type: ").append(contentType).append("\r\n");
            }
            head.append(lengthHeader).append("\r\n\r\n");
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        void finish() throws IOException {
            if (!responded) {
                respond(204, null, new byte[0]);
            }
            if (chunked != null) {
                chunked.close();
            }
            if (bodyStreamed) {
                body.transferTo(OutputStream.nullOutputStream());
            } else {
                body();
            }
        }

        Recorded record() {
            Map<String, List<String>> q = new LinkedHashMap<>();
            query.forEach((k, v) -> q.put(k, List.copyOf(v)));
            byte[] recordedBody = bodyBytes;
            if (recordedBody == null && !bodyStreamed) {
                try {
                    recordedBody = body();
                } catch (IOException e) {
                    recordedBody = null;
                }
            }
            return new Recorded(method, path, version, Map.copyOf(q), Map.copyOf(headers), recordedBody);
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 200 -> "OK";
            case 201 -> "Created";
            case 204 -> "No Content";
            case 400 -> "Bad Request";
            case 401 -> "Unauthorized";
            case 403 -> "Forbidden";
            case 404 -> "Not Found";
            case 409 -> "Conflict";
            case 500 -> "Internal Server Error";
            case 501 -> "Not Implemented";
            case 503 -> "Service Unavailable";
            default -> "Status";
        };
    }

    private static final class LimitedIn extends InputStream {
        private final InputStream in;
        private long remaining;

        LimitedIn(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining <= 0) {
                return -1;
            }
            int n = in.read(b, off, (int) Math.min(len, remaining));
            if (n < 0) {
                throw new EOFException("request body ended early");
            }
            remaining -= n;
            return n;
        }
    }

    private static final class ChunkedIn extends InputStream {
        private final InputStream in;
        private long chunkLeft;
        private boolean done;

        ChunkedIn(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) <= 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (done) {
                return -1;
            }
            if (chunkLeft == 0) {
                String size = readLine(in);
                if (size == null) {
                    throw new EOFException("chunked body ended early");
                }
                int semi = size.indexOf(';');
                chunkLeft = Long.parseLong((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                if (chunkLeft == 0) {
                    while (true) {
                        String trailer = readLine(in);
                        if (trailer == null || trailer.isEmpty()) {
                            break;
                        }
                    }
                    done = true;
                    return -1;
                }
            }
            int n = in.read(b, off, (int) Math.min(len, chunkLeft));
            if (n < 0) {
                throw new EOFException("chunk ended early");
            }
            chunkLeft -= n;
            if (chunkLeft == 0) {
                readLine(in);
            }
            return n;
        }
    }

    private static final class ChunkedOut extends OutputStream {
        private final OutputStream out;
        private boolean closed;

        ChunkedOut(OutputStream out) {
            this.out = out;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return;
            }
            out.write((Integer.toHexString(len) + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
            out.write(b, off, len);
            out.write("\r\n".getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }

        @Override
        public synchronized void close() throws IOException {
            if (!closed) {
                closed = true;
                out.write("0\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                out.flush();
            }
        }
    }
}
