package dev.berth.engine.client;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A connection the engine has taken over for a raw stream ({@code attach}, {@code exec start}): the
 * request asks for {@code Upgrade: tcp}, the engine answers {@code 101 UPGRADED} (or 200 from older
 * engines), and from then on the socket carries the container's stdio. OkHttp has no public way to
 * keep a socket past a non-WebSocket upgrade, so this speaks HTTP/1.1 by hand on its own socket.
 *
 * <p>{@link #output()} is the container's stdin; {@link #closeWrite()} sends end-of-file while the
 * output keeps coming. {@link #input()} is multiplexed unless the container has a TTY.
 */
public final class HijackedConnection implements Closeable {
    private static final int MAX_HEADER = 64 * 1024;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final String contentType;

    private HijackedConnection(Socket socket, InputStream in, OutputStream out, String contentType) {
        this.socket = socket;
        this.in = in;
        this.out = out;
        this.contentType = contentType;
    }

    /** Opens a socket to the engine, sends the upgrade request, and reads the answer's head. */
    static HijackedConnection open(EngineClient client, String method, String pathAndQuery, byte[] jsonBody) {
        EngineEndpoint endpoint = client.endpoint();
        Socket socket;
        try {
            if (endpoint.isUnix()) {
                socket = new UnixSocketFactory(endpoint.socketPath()).createSocket("localhost", 0);
            } else {
                socket = new Socket();
                socket.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), 10_000);
                if (client.tls() != null) {
                    javax.net.ssl.SSLSocket tls = (javax.net.ssl.SSLSocket) client.tls().context().getSocketFactory()
                            .createSocket(socket, endpoint.host(), endpoint.port(), true);
                    if (client.tls().verify()) {
                        javax.net.ssl.SSLParameters params = tls.getSSLParameters();
                        params.setEndpointIdentificationAlgorithm("HTTPS");
                        tls.setSSLParameters(params);
                    }
                    tls.startHandshake();
                    socket = tls;
                }
            }
        } catch (IOException e) {
            throw client.connectionError(e);
        }
        try {
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(pathAndQuery).append(" HTTP/1.1\r\n")
                    .append("Host: ").append(endpoint.isUnix() ? "api.moby.localhost" : endpoint.host() + ":" + endpoint.port())
                    .append("\r\n")
                    .append("User-Agent: ").append(client.userAgent()).append("\r\n")
                    .append("Connection: Upgrade\r\n")
                    .append("Upgrade: tcp\r\n");
            byte[] body = jsonBody == null ? new byte[0] : jsonBody;
            head.append("Content-Type: ").append(jsonBody == null ? "text/plain" : "application/json").append("\r\n");
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.ISO_8859_1));
            out.write(body);
            out.flush();
            BufferedInputStream in = new BufferedInputStream(socket.getInputStream(), 32 * 1024);
            String status = readLine(in);
            String[] parts = status.split(" ", 3);
            if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
                throw new BerthException(ErrorCategory.SYSTEM, "unreadable answer from the engine: " + status);
            }
            int code = Integer.parseInt(parts[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line; !(line = readLine(in)).isEmpty(); ) {
                int colon = line.indexOf(':');
                if (colon > 0) {
                    headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
            }
            if (code != 101 && code != 200) {
                byte[] error = readBody(in, headers);
                socket.close();
                String message = EngineClient.errorMessage(new String(error, StandardCharsets.UTF_8));
                if (message.isEmpty()) {
                    message = status.substring(status.indexOf(' ') + 1);
                }
                throw new EngineApiException(code, message);
            }
            client.debugLine(method + " " + pathAndQuery + " -> " + code);
            return new HijackedConnection(socket, in, out, headers.getOrDefault("content-type", ""));
        } catch (IOException | RuntimeException e) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already failing
            }
            if (e instanceof BerthException b) {
                throw b;
            }
            if (e instanceof NumberFormatException) {
                throw new BerthException(ErrorCategory.SYSTEM, "unreadable answer from the engine: " + e.getMessage(), e);
            }
            if (e instanceof IOException io) {
                throw client.connectionError(io);
            }
            throw (RuntimeException) e;
        }
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                String s = line.toString(StandardCharsets.ISO_8859_1);
                return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
            }
            line.write(b);
            if (line.size() > MAX_HEADER) {
                throw new IOException("response header too long");
            }
        }
        if (line.size() == 0) {
            throw new IOException("the engine closed the connection before answering");
        }
        return line.toString(StandardCharsets.ISO_8859_1);
    }

    private static byte[] readBody(InputStream in, Map<String, String> headers) throws IOException {
        String length = headers.get("content-length");
        if (length != null) {
            return in.readNBytes((int) Math.min(Long.parseLong(length), MAX_HEADER));
        }
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (body.size() < MAX_HEADER) {
                String size = readLine(in).strip();
                int semi = size.indexOf(';');
                int n = Integer.parseInt(semi < 0 ? size : size.substring(0, semi), 16);
                if (n == 0) {
                    break;
                }
                body.write(in.readNBytes(n));
                readLine(in);
            }
            return body.toByteArray();
        }
        return in.readNBytes(MAX_HEADER);
    }

    /** The container's output: multiplexed frames unless it has a TTY. */
    public InputStream input() {
        return in;
    }

    /** The container's stdin. */
    public OutputStream output() {
        return out;
    }

    /** The engine's Content-Type for the stream ({@code application/vnd.docker.multiplexed-stream} or raw). */
    public String contentType() {
        return contentType;
    }

    /** Ends stdin; the output keeps coming until the container or exec ends. */
    public void closeWrite() {
        try {
            socket.shutdownOutput();
        } catch (IOException | UnsupportedOperationException ignored) {
            // the other side is gone already
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // nothing left to release
        }
    }
}
