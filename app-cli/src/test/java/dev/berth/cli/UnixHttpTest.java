package dev.berth.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The lean path's HTTP client over both of its links, the CLI's native Unix socket and the JDK's
 * channel, against a real Unix socket server that answers with scripted bytes: the body framings an
 * engine uses, keep-alive, and the failures the lean path must notice (and then step aside).
 */
class UnixHttpTest {
    @TempDir
    Path dir;

    private ServerSocketChannel server;
    private Thread serving;
    private final AtomicInteger connections = new AtomicInteger();
    private final List<String> requests = new CopyOnWriteArrayList<>();

    @AfterEach
    void stopServer() throws Exception {
        if (server != null) {
            server.close();
        }
        if (serving != null) {
            serving.join(5_000);
        }
    }

    /** The build made the library and it loads: in CI the fast link must not silently go missing. */
    @Test
    void theNativeSocketLibraryLoadsWhereTheBuildMadeIt() {
        String library = System.getProperty(NativeUnixSocket.LIBRARY_PROPERTY);
        if (!"true".equals(System.getenv("CI"))) {
            assumeTrue(library != null && Files.exists(Path.of(library)), "no gcc here: the CLI keeps the JDK's channel");
        }
        assertTrue(library != null && Files.isRegularFile(Path.of(library)), "the build did not make " + library);
        assertTrue(NativeUnixSocket.available(), "the native socket library does not load: " + library);
    }

    @ParameterizedTest(name = "native link: {0}")
    @ValueSource(booleans = {true, false})
    void aLengthFramedAnswerThenAChunkedOneOnTheSameConnection(boolean nativeLink) throws Exception {
        requireLink(nativeLink);
        Path socket = serve(List.of(
                "HTTP/1.1 200 OK\r\nApi-Version: 1.47\r\nContent-Length: 2\r\n\r\nOK",
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "4\r\n[{\"a\r\n7;ext=1\r\n\":\"b\"}]\r\n0\r\n\r\n"));
        try (UnixHttp http = new UnixHttp(socket, "berth-test", nativeLink)) {
            UnixHttp.Response ping = http.get("/_ping");
            assertEquals(200, ping.status());
            assertEquals("1.47", ping.header("Api-Version"));
            assertArrayEquals("OK".getBytes(StandardCharsets.UTF_8), ping.body());
            UnixHttp.Response list = http.get("/v1.47/images/json?all=1");
            assertEquals(200, list.status());
            assertEquals("[{\"a\":\"b\"}]", new String(list.body(), StandardCharsets.UTF_8));
        }
        assertEquals(1, connections.get(), "one kept-alive connection for both requests");
        assertEquals(List.of("GET /_ping HTTP/1.1", "GET /v1.47/images/json?all=1 HTTP/1.1"),
                requests.stream().map(r -> r.substring(0, r.indexOf("\r\n"))).toList());
        assertTrue(requests.getFirst().contains("\r\nUser-Agent: berth-test\r\n"), requests.getFirst());
    }

    /** A body larger than one read, ended by the server closing: the JSON of a long list comes like this. */
    @ParameterizedTest(name = "native link: {0}")
    @ValueSource(booleans = {true, false})
    void aCloseDelimitedBodyLargerThanTheBuffer(boolean nativeLink) throws Exception {
        requireLink(nativeLink);
        String big = "x".repeat(100_000);
        Path socket = serve(List.of("HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n" + big));
        try (UnixHttp http = new UnixHttp(socket, "berth-test", nativeLink)) {
            UnixHttp.Response response = http.get("/v1.47/containers/json");
            assertEquals(200, response.status());
            String body = new String(response.body(), StandardCharsets.UTF_8);
            assertEquals(big.length(), body.length(), "body length");
            assertTrue(body.equals(big), "the body came back changed");
        }
    }

    @ParameterizedTest(name = "native link: {0}")
    @ValueSource(booleans = {true, false})
    void anAnswerCutShortIsAnErrorNotAShortBody(boolean nativeLink) throws Exception {
        requireLink(nativeLink);
        Path socket = serve(List.of("HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n[{\"Id\":"));
        try (UnixHttp http = new UnixHttp(socket, "berth-test", nativeLink)) {
            EOFException e = assertThrows(EOFException.class, () -> http.get("/v1.47/containers/json"));
            assertEquals("connection closed mid-body", e.getMessage());
        }
    }

    @ParameterizedTest(name = "native link: {0}")
    @ValueSource(booleans = {true, false})
    void noSocketFileIsAnIoErrorNamingIt(boolean nativeLink) throws Exception {
        requireLink(nativeLink);
        Path missing = dir.resolve("missing.sock");
        try (UnixHttp http = new UnixHttp(missing, "berth-test", nativeLink)) {
            IOException e = assertThrows(IOException.class, () -> http.get("/_ping"));
            if (nativeLink) {
                assertEquals(missing + ": No such file or directory", e.getMessage());
            }
        }
    }

    @Test
    void aNativeSocketRefusesWritesOnceClosed() throws Exception {
        requireLink(true);
        Path socket = serve(List.of("HTTP/1.1 204 No Content\r\n\r\n"));
        NativeUnixSocket link = NativeUnixSocket.connect(socket);
        link.close();
        byte[] bytes = "GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        IOException e = assertThrows(IOException.class, () -> link.write(bytes, 0, bytes.length));
        assertEquals("socket closed", e.getMessage());
        link.close();
    }

    private static void requireLink(boolean nativeLink) {
        if (!nativeLink) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(NativeUnixSocket.available(), "the native socket library does not load");
        } else {
            assumeTrue(NativeUnixSocket.available(), "no native socket library was built here");
        }
    }

    /**
     * Serves one connection at a time: for each request read, the next scripted answer, written in
     * small pieces so that the client reads across several reads; closes after the last answer.
     */
    private Path serve(List<String> answers) throws IOException {
        Path socket = dir.resolve("engine.sock");
        server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        List<String> script = new ArrayList<>(answers);
        serving = Thread.ofPlatform().daemon().start(() -> {
            try (SocketChannel client = server.accept()) {
                connections.incrementAndGet();
                for (String answer : script) {
                    requests.add(readRequest(client));
                    ByteBuffer out = ByteBuffer.wrap(answer.getBytes(StandardCharsets.UTF_8));
                    while (out.hasRemaining()) {
                        ByteBuffer piece = out.slice(out.position(), Math.min(out.remaining(), 4096));
                        while (piece.hasRemaining()) {
                            client.write(piece);
                        }
                        out.position(out.position() + piece.position());
                    }
                }
            } catch (IOException e) {
                // the test closed the server, or the client went away: the assertions tell
            }
        });
        return socket;
    }

    private static String readRequest(SocketChannel client) throws IOException {
        StringBuilder request = new StringBuilder();
        ByteBuffer one = ByteBuffer.allocate(1);
        while (!request.toString().endsWith("\r\n\r\n")) {
            one.clear();
            if (client.read(one) < 0) {
                throw new EOFException("client closed");
            }
            request.append((char) one.get(0));
        }
        return request.toString();
    }
}
