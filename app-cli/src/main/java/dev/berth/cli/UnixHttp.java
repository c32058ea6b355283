package dev.berth.cli;

import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Plain HTTP/1.1 GETs over a Unix socket ({@link NativeUnixSocket} when its library loaded, else the
 * JDK's own {@link SocketChannel}): what the lean list path needs and nothing more (no TLS, no
 * redirects, no request bodies). Hand-written on purpose: OkHttp and its Kotlin runtime cost a cold
 * {@code berth ps} more than the request itself (bench/cli/RESULTS.md has the measurement). Keeps
 * one connection alive for the ping and the list.
 */
final class UnixHttp implements AutoCloseable {
    /** The Host over a Unix socket; docker's client sends the same placeholder. */
    private static final String HOST = "api.moby.localhost";
    private static final int MAX_HEADER = 64 * 1024;
    private static final String PROVIDER_PROPERTY = "java.nio.channels.spi.SelectorProvider";
    private static final String LINUX_PROVIDER = "sun.nio.ch.EPollSelectorProvider";

    /** One answer: the status, the headers as sent (lower-cased names), the body. */
    record Response(int status, String headers, byte[] body) {
        /** A header's value, or null. */
        String header(String name) {
            String key = "\n" + name.toLowerCase(Locale.ROOT) + ":";
            int at = headers.indexOf(key);
            if (at < 0) {
                return null;
            }
            int end = headers.indexOf('\n', at + 1);
            return headers.substring(at + key.length(), end < 0 ? headers.length() : end).strip();
        }
    }

    private final Path socket;
    private final String userAgent;
    private final boolean nativeLink;
    /** One of the two is open while connected: the CLI's native socket when it loaded, else the JDK's. */
    private SocketChannel channel;
    private NativeUnixSocket nativeSocket;
    private final ByteBuffer in = ByteBuffer.allocate(16 * 1024);

    /** Over the CLI's native socket when its library loads, else the JDK's channel. */
    UnixHttp(Path socket, String userAgent) {
        this(socket, userAgent, NativeUnixSocket.available());
    }

    UnixHttp(Path socket, String userAgent, boolean nativeLink) {
        this.socket = socket;
        this.userAgent = userAgent;
        this.nativeLink = nativeLink;
    }

    Response get(String target) throws IOException {
        if (channel == null && nativeSocket == null) {
            if (nativeLink) {
                nativeSocket = NativeUnixSocket.connect(socket);
            } else {
                skipProviderLookup();
                channel = SocketChannel.open(StandardProtocolFamily.UNIX);
                channel.connect(UnixDomainSocketAddress.of(socket));
            }
            in.clear().flip();
        }
        String request = "GET " + target + " HTTP/1.1\r\nHost: " + HOST + "\r\nUser-Agent: " + userAgent + "\r\n\r\n";
        byte[] bytes = request.getBytes(StandardCharsets.UTF_8);
        if (nativeSocket != null) {
            nativeSocket.write(bytes, 0, bytes.length);
        } else {
            ByteBuffer out = ByteBuffer.wrap(bytes);
            while (out.hasRemaining()) {
                channel.write(out);
            }
        }
        Response response = read();
        String connection = response.header("Connection");
        if (connection != null && connection.equalsIgnoreCase("close")) {
            close();
        }
        return response;
    }

    /**
     * The JDK finds its channel provider by asking the class path for a service first: that opens
     * every jar of the CLI's class path (28, whose classes otherwise all come from the AOT cache) to
     * look for one file none of them has, a noticeable share of a cold {@code berth ps}
     * (bench/cli/RESULTS.md). Naming the JDK's own provider, the one the lookup ends with on Linux,
     * skips it. Only when nobody chose a provider and the class is there (a JDK without it keeps
     * the lookup); without effect once the JDK has picked its provider.
     */
    private static void skipProviderLookup() {
        if (System.getProperty(PROVIDER_PROPERTY) != null) {
            return;
        }
        try {
            Class.forName(LINUX_PROVIDER, false, null);
        } catch (ClassNotFoundException | LinkageError e) {
            return;
        }
        System.setProperty(PROVIDER_PROPERTY, LINUX_PROVIDER);
    }

    private Response read() throws IOException {
        StringBuilder head = new StringBuilder();
        // the status line and headers, up to the empty line
        while (true) {
            String line = line();
            if (line.isEmpty()) {
                break;
            }
            head.append(line).append('\n');
            if (head.length() > MAX_HEADER) {
                throw new IOException("response headers too long");
            }
        }
        int sp = head.indexOf(" ");
        if (sp < 0 || !head.substring(0, sp).startsWith("HTTP/1.")) {
            throw new IOException("not an HTTP/1.x response");
        }
        int status = Integer.parseInt(head.substring(sp + 1, sp + 4));
        int eol = head.indexOf("\n");
        // lower-cased whole for lookup: the values read here are numbers, versions and tokens
        String headers = ("\n" + head.substring(eol + 1)).toLowerCase(Locale.ROOT);
        Response bare = new Response(status, headers, null);
        String te = bare.header("Transfer-Encoding");
        String length = bare.header("Content-Length");
        byte[] body;
        if (te != null && te.contains("chunked")) {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (true) {
                String size = line();
                int semi = size.indexOf(';');
                int n = Integer.parseInt((semi < 0 ? size : size.substring(0, semi)).strip(), 16);
                if (n == 0) {
                    while (!line().isEmpty()) {
                        // trailers: none that matter
                    }
                    break;
                }
                buf.write(bytes(n));
                line();
            }
            body = buf.toByteArray();
        } else if (length != null) {
            body = bytes(Integer.parseInt(length));
        } else if (status == 204 || status == 304) {
            body = new byte[0];
        } else {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            // what came with the headers first: fill() starts over
            do {
                buf.write(in.array(), in.position(), in.remaining());
                in.position(in.limit());
            } while (fill());
            body = buf.toByteArray();
            close();
        }
        return new Response(status, headers, body);
    }

    private String line() throws IOException {
        StringBuilder sb = new StringBuilder();
        while (true) {
            if (!in.hasRemaining() && !fill()) {
                throw new EOFException("connection closed mid-response");
            }
            byte b = in.get();
            if (b == '\n') {
                int n = sb.length();
                return n > 0 && sb.charAt(n - 1) == '\r' ? sb.substring(0, n - 1) : sb.toString();
            }
            sb.append((char) (b & 0xff));
        }
    }

    private byte[] bytes(int n) throws IOException {
        byte[] out = new byte[n];
        int off = 0;
        while (off < n) {
            if (!in.hasRemaining() && !fill()) {
                throw new EOFException("connection closed mid-body");
            }
            int k = Math.min(in.remaining(), n - off);
            in.get(out, off, k);
            off += k;
        }
        return out;
    }

    /** Reads more into the (drained) buffer; false at end of stream. */
    private boolean fill() throws IOException {
        in.clear();
        int n;
        if (nativeSocket != null) {
            n = nativeSocket.read(in.array(), 0, in.capacity());
            in.limit(Math.max(n, 0));
        } else {
            n = channel.read(in);
            in.flip();
        }
        return n > 0;
    }

    @Override
    public void close() throws IOException {
        if (nativeSocket != null) {
            nativeSocket.close();
            nativeSocket = null;
        }
        if (channel != null) {
            SocketChannel c = channel;
            channel = null;
            c.close();
        }
    }
}
