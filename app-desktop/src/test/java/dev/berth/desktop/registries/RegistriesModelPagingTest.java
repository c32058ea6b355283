package dev.berth.desktop.registries;

import dev.berth.desktop.store.DesktopCatalog;
import dev.berth.engine.client.EngineClient;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.registry.CredentialStore;
import dev.berth.registry.Page;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedInputStream;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tags a page at a time, as distribution 3 pages them ({@code n}, {@code last} and a {@code Link} to the
 * next page). Debian's docker-registry (2.8) ignores {@code n} on tags, so a small server answers as 3.x
 * does; the catalog's paging is proven against the real registry in RegsHelperAndSearchFxTest.
 */
class RegistriesModelPagingTest {
    static final List<String> TAGS = List.of("1.0", "1.1", "2.0", "2.1", "3.0");

    @Test
    void tagsComeOnePageAtATimeFollowingTheLinkHeader(@TempDir Path dir) throws Exception {
        List<String> requests = new CopyOnWriteArrayList<>();
        ServerSocket server = new ServerSocket(0, 16, InetAddress.getLoopbackAddress());
        Thread.ofVirtual().start(() -> {
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
                    String target = line == null ? "" : line.split(" ")[1];
                    requests.add(target);
                    String link = "";
                    String body = "{}";
                    if (target.startsWith("/v2/paged/app/tags/list")) {
                        int n = Integer.parseInt(param(target, "n", "100"));
                        String last = param(target, "last", null);
                        int from = last == null ? 0 : TAGS.indexOf(last) + 1;
                        List<String> page = TAGS.subList(from, Math.min(TAGS.size(), from + n));
                        body = "{\"name\":\"paged/app\",\"tags\":[\"" + String.join("\",\"", page) + "\"]}";
                        if (from + n < TAGS.size()) {
                            link = "Link: </v2/paged/app/tags/list?n=" + n + "&last=" + page.getLast() + ">; rel=\"next\"\r\n";
                        }
                    }
                    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
                    s.getOutputStream().write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n" + link
                            + "Connection: close\r\nContent-Length: " + bytes.length + "\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
                    s.getOutputStream().write(bytes);
                    s.getOutputStream().flush();
                } catch (java.io.IOException e) {
                    // closed at the end of the test, or a client gone
                }
            }
        });
        try (DesktopCatalog catalog = DesktopCatalog.open(dir.resolve("desktop.db"))) {
            String host = "127.0.0.1:" + server.getLocalPort();
            RegistriesModel model = new RegistriesModel(new RegistryList(catalog),
                    EngineClient.create(EngineEndpoint.unix(dir.resolve("no.sock"))),
                    CredentialStore.dockerConfig(dir.resolve("docker"), List.of()), 2, HubSearch.dockerHub());
            model.add(host, false);
            Page<String> page = model.tagsPage(host, "paged/app", null);
            assertEquals(List.of("1.0", "1.1"), page.items());
            List<String> all = new ArrayList<>(page.items());
            int pages = 1;
            while (page.next().isPresent()) {
                page = model.tagsPage(host, "paged/app", page.next().get());
                all.addAll(page.items());
                pages++;
            }
            assertEquals(TAGS, all);
            assertEquals(3, pages, "one request per page, not the whole list at once");
            assertFalse(page.next().isPresent());
            assertTrue(requests.contains("/v2/paged/app/tags/list?n=2"), requests.toString());
            assertTrue(requests.stream().anyMatch(r -> r.contains("last=2.1")), requests.toString());
        } finally {
            server.close();
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
}
