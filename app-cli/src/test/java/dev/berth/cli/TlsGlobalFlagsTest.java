package dev.berth.cli;

import dev.berth.engine.testing.Processes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code --tls}, {@code --tlsverify}, {@code --tlscacert/--tlscert/--tlskey} and docker's
 * {@code DOCKER_TLS_VERIFY}/{@code DOCKER_CERT_PATH}, against a small TLS engine stand-in (a real
 * TLS server with openssl-made certificates; the Berth daemon itself serves only Unix sockets).
 */
class TlsGlobalFlagsTest {
    @TempDir
    static Path dir;
    static SSLServerSocket server;
    static final List<String> clientNames = new CopyOnWriteArrayList<>();
    static final String PS_HEADER = "CONTAINER ID   IMAGE     COMMAND   CREATED   STATUS    PORTS     NAMES\n";

    static void openssl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Processes.run(Map.of(), null, 60, command).assertOk();
    }

    @BeforeAll
    static void start() throws Exception {
        Processes.requireBinary("openssl");
        String d = dir.toString();
        for (String ca : List.of("ca", "other-ca")) {
            openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=" + ca,
                    "-keyout", d + "/" + ca + "-key.pem", "-out", d + "/" + ca + ".pem");
        }
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", d + "/server-key.pem",
                "-out", d + "/server.csr");
        openssl("x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca-key.pem",
                "-CAcreateserial", "-days", "2", "-extfile", d + "/san.ext", "-out", d + "/server.pem");
        openssl("pkcs12", "-export", "-in", d + "/server.pem", "-inkey", d + "/server-key.pem", "-passout", "pass:x",
                "-out", d + "/server.p12");
        // the client's key in PKCS#1 (BEGIN RSA PRIVATE KEY), as older docker certificate guides make it
        openssl("genrsa", "-traditional", "-out", d + "/key.pem", "2048");
        openssl("req", "-new", "-key", d + "/key.pem", "-subj", "/CN=cli-client", "-out", d + "/client.csr");
        openssl("x509", "-req", "-in", d + "/client.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca-key.pem",
                "-CAcreateserial", "-days", "2", "-out", d + "/cert.pem");

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            keys.load(in, "x".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "x".toCharArray());
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(dir.resolve("ca.pem"))) {
            trusted.setCertificateEntry("ca", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trusted);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        server = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setWantClientAuth(true);
        Thread.ofPlatform().daemon().name("tls-engine").start(TlsGlobalFlagsTest::serve);
    }

    @AfterAll
    static void stop() throws IOException {
        if (server != null) {
            server.close();
        }
    }

    static void serve() {
        while (!server.isClosed()) {
            try {
                SSLSocket s = (SSLSocket) server.accept();
                Thread.ofPlatform().daemon().start(() -> answer(s));
            } catch (IOException e) {
                return;
            }
        }
    }

    static void answer(SSLSocket s) {
        try (s; InputStream in = new BufferedInputStream(s.getInputStream()); OutputStream out = s.getOutputStream()) {
            s.startHandshake();
            try {
                clientNames.add(s.getSession().getPeerPrincipal().getName());
            } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                clientNames.add("anonymous");
            }
            while (true) {
                ByteArrayOutputStream head = new ByteArrayOutputStream();
                for (int b; !head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n"); ) {
                    if ((b = in.read()) < 0) {
                        return;
                    }
                    head.write(b);
                }
                String path = head.toString(StandardCharsets.US_ASCII).split(" ")[1];
                String body = path.equals("/_ping") ? "OK" : path.contains("/containers/json") ? "[]" : "{\"message\":\"no\"}";
                int status = body.startsWith("{") ? 404 : 200;
                out.write(("HTTP/1.1 " + status + " X\r\nApi-Version: 1.44\r\nContent-Type: application/json\r\nContent-Length: "
                        + body.length() + "\r\n\r\n" + body).getBytes(StandardCharsets.US_ASCII));
                out.flush();
            }
        } catch (IOException e) {
            // a client that gave up on our certificate
        }
    }

    static String host() {
        return "tcp://127.0.0.1:" + server.getLocalPort();
    }

    /** A CLI whose config dir is empty, so only what a test names is used. */
    static CliRun cli() throws IOException {
        return new CliRun(null, Files.createTempDirectory(dir, "home"));
    }

    @Test
    void tlsverifyWithExplicitFilesVerifiesTheServerAndPresentsTheClientCertificate() throws Exception {
        clientNames.clear();
        CliRun.Result r = cli().run("-H", host(), "--tlsverify", "--tlscacert", dir.resolve("ca.pem").toString(),
                "--tlscert", dir.resolve("cert.pem").toString(), "--tlskey", dir.resolve("key.pem").toString(), "ps");
        assertEquals(0, r.status(), r.toString());
        assertEquals(PS_HEADER, r.out());
        assertTrue(clientNames.contains("CN=cli-client"), clientNames.toString());
    }

    @Test
    void dockerTlsVerifyAndCertPathFromTheEnvironment() throws Exception {
        clientNames.clear();
        CliRun.Result r = cli().env("DOCKER_HOST", host()).env("DOCKER_TLS_VERIFY", "1")
                .env("DOCKER_CERT_PATH", dir.toString()).run("ps");
        assertEquals(0, r.status(), r.toString());
        assertEquals(PS_HEADER, r.out());
        assertTrue(clientNames.contains("CN=cli-client"), clientNames.toString());
    }

    @Test
    void aServerSignedByAnotherCaIsRefused() throws Exception {
        CliRun.Result r = cli().run("-H", host(), "--tlsverify", "--tlscacert", dir.resolve("other-ca.pem").toString(), "ps");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains(host()), r.err());
        assertEquals("", r.out());
    }

    @Test
    void tlsWithoutVerifyAcceptsTheServerAndSendsNoCertificateItDoesNotHave() throws Exception {
        clientNames.clear();
        CliRun.Result r = cli().run("-H", host(), "--tls", "ps");
        assertEquals(0, r.status(), r.toString());
        assertEquals(PS_HEADER, r.out());
        assertEquals(List.of("anonymous"), clientNames);
    }

    @Test
    void aMissingCaFileIsNamed() throws Exception {
        Path missing = dir.resolve("nope/ca.pem");
        CliRun.Result r = cli().run("-H", host(), "--tlsverify", "--tlscacert", missing.toString(), "ps");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains("could not read CA certificate") && r.err().contains(missing.toString()), r.err());
    }

    @Test
    void plainHttpToATlsEngineFails() throws Exception {
        CliRun.Result r = cli().run("-H", host(), "ps");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.err().contains(host()), r.err());
    }
}
