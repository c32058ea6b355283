package dev.berth.desktop.engine;

import dev.berth.engine.testing.Processes;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;

/**
 * A CA, a server certificate for 127.0.0.1 and a client certificate, made with openssl in {@code dir}
 * as {@code ca.pem}, {@code cert.pem} and {@code key.pem} (the files docker's --tls flags take); returns the
 * server's TLS context, which trusts clients of the same CA.
 */
final class TlsFiles {
    private TlsFiles() {
    }

    static void openssl(String... args) {
        String[] command = new String[args.length + 1];
        command[0] = "openssl";
        System.arraycopy(args, 0, command, 1, args.length);
        Processes.run(Map.of(), null, 60, command).assertOk();
    }

    static SSLContext create(Path dir, String clientName) throws Exception {
        Processes.requireBinary("openssl");
        String d = dir.toString();
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", "/CN=desk4-ca",
                "-keyout", d + "/ca-key.pem", "-out", d + "/ca.pem");
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", d + "/server-key.pem",
                "-out", d + "/server.csr");
        openssl("x509", "-req", "-in", d + "/server.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca-key.pem",
                "-CAcreateserial", "-days", "2", "-extfile", d + "/san.ext", "-out", d + "/server.pem");
        openssl("pkcs12", "-export", "-in", d + "/server.pem", "-inkey", d + "/server-key.pem", "-passout", "pass:x",
                "-out", d + "/server.p12");
        openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=" + clientName, "-keyout", d + "/key.pem",
                "-out", d + "/client.csr");
        openssl("x509", "-req", "-in", d + "/client.csr", "-CA", d + "/ca.pem", "-CAkey", d + "/ca-key.pem",
                "-CAcreateserial", "-days", "2", "-out", d + "/cert.pem");

        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(dir.resolve("server.p12"))) {
            keys.load(in, "x".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "x".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), new javax.net.ssl.TrustManager[] {
                new dev.berth.engine.client.EngineTls(dir.resolve("ca.pem"), null, null, true).trustManager()}, null);
        return ctx;
    }
}
