package dev.berth.registry;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.berth.errors.BerthException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * {@code docker search} of an insecure index that serves TLS with a self-signed certificate (whose name
 * is not even the address asked): dockerd skips verification for insecure registries, so the HTTPS
 * attempt answers; an index asked as a secure one still has its certificate checked. The registry client
 * (pull, push) shares the same unverified TLS.
 */
class IndexSearchTlsTest {
    static HttpsServer server;
    @TempDir
    static Path dir;

    @BeforeAll
    static void start() throws Exception {
        Path keystore = dir.resolve("index.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "index", "-keyalg", "RSA",
                "-keysize", "2048", "-dname", "CN=berth-test-index", "-validity", "2", "-keystore", keystore.toString(),
                "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).redirectOutput(dir.resolve("keytool.log").toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IllegalStateException("keytool failed: " + Files.readString(dir.resolve("keytool.log")));
        }
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(keystore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.createContext("/v1/search", ex -> {
            byte[] body = ("{\"results\":[{\"name\":\"mendreg/tls\",\"description\":\"over TLS\",\"star_count\":2,"
                    + "\"is_official\":false,\"is_automated\":false}]}").getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Content-Type", "application/json");
            ex.sendResponseHeaders(200, body.length);
            try (var out = ex.getResponseBody()) {
                out.write(body);
            }
        });
        server.createContext("/v2/", ex -> {
            ex.sendResponseHeaders(200, -1);
            ex.close();
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    @Test
    void insecureIndexWithSelfSignedCertificateAnswersOverTls() {
        String host = "127.0.0.1:" + server.getAddress().getPort();
        IndexSearch search = new IndexSearch(Duration.ofSeconds(10), Duration.ofSeconds(20));
        List<IndexSearch.Result> found = search.search(host + "/tls", 5, null, Set.of());
        assertEquals(List.of(new IndexSearch.Result("mendreg/tls", "over TLS", 2, false, false)), found,
                "loopback is insecure: its self-signed certificate is not verified, as dockerd does");

        BerthException e = assertThrows(BerthException.class,
                () -> search.search(URI.create("https://" + host), "tls", 5, null));
        assertEquals(javax.net.ssl.SSLHandshakeException.class, e.getCause().getClass(),
                "an index asked as a secure one still has its certificate verified: " + e.getMessage());
    }

    @Test
    void registryClientSharesTheUnverifiedTls() {
        // The same trust-all pieces serve the registry client: its ping of the self-signed loopback registry answers.
        RegistryClient.create("127.0.0.1:" + server.getAddress().getPort(), RegistryOptions.defaults()).ping();
    }
}
