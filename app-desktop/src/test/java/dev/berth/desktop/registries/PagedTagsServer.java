package dev.berth.desktop.registries;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A registry stand-in that pages tags as distribution 3 does ({@code n}, {@code last}, a {@code Link}
 * to the next page): Debian's docker-registry (2.8) ignores {@code n} on tags. Anonymous, plain HTTP
 * on loopback; its catalog holds the one repository {@link #REPOSITORY}.
 */
final class PagedTagsServer implements AutoCloseable {
    static final String REPOSITORY = "paged/app";
    static final List<String> TAGS = List.of("1.0", "1.1", "2.0", "2.1", "3.0");

    private final ServerSocket server;
    final List<String> requests = new CopyOnWriteArrayList<>();

    PagedTagsServer() throws IOException {
        server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(this::serve);
    }

    String host() {
        return "127.0.0.1:" + server.getLocalPort();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                BufferedInputStream in = new BufferedInputStream(s.getInputStream());
                in.mark(1);
                if (in.read() == 0x16) {
                    continue; // a TLS ClientHello: refuse at once, as a plain-HTTP registry does
                }
                in.reset();
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
                String line = reader.readLine();
                for (String h = reader.readLine(); h != null && !h.isEmpty(); h = reader.readLine()) {
                    // headers are not needed
                }
                String target = line == null || line.split(" ").length < 2 ? "" : line.split(" ")[1];
                requests.add(target);
                String link = "";
                String body = "{}";
                if (target.startsWith("/v2/_catalog")) {
                    body = "{\"repositories\":[\"" + REPOSITORY + "\"]}";
                } else if (target.startsWith("/v2/" + REPOSITORY + "/tags/list")) {
                    int n = Integer.parseInt(param(target, "n", "100"));
                    String last = param(target, "last", null);
                    int from = last == null ? 0 : TAGS.indexOf(last) + 1;
                    List<String> page = TAGS.subList(from, Math.min(TAGS.size(), from + n));
                    body = "{\"name\":\"" + REPOSITORY + "\",\"tags\":[\"" + String.join("\",\"", page) + "\"]}";
                    if (from + n < TAGS.size()) {
                        link = "Link: </v2/" + REPOSITORY + "/tags/list?n=" + n + "&last=" + page.getLast() + ">; rel=\"next\"\r\n";
                    }
                }
                byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + link
                        + "Connection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                s.getOutputStream().write(bytes);
                s.getOutputStream().flush();
            } catch (IOException e) {
                // closed at the end of the test, or a client gone
            }
        }
    }

    static String param(String target, String name, String fallback) {
        int q = target.indexOf('?');
        if (q < 0) {
            return fallback;
        }
        for (String pair : target.substring(q + 1).split("&")) {
            if (pair.startsWith(name + "=")) {
                return pair.substring(name.length() + 1);
            }
        }
        return fallback;
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
