package dev.berth.engine.client;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Collection;

/**
 * TLS to an engine on {@code tcp://}, as docker's {@code --tls}, {@code --tlsverify} and
 * {@code --tlscacert/--tlscert/--tlskey} set it up: the client certificate when its files exist;
 * the server checked against the CA (and its name against the host) only with {@code verify}.
 * Keys in PEM, PKCS#8 ({@code BEGIN PRIVATE KEY}) or PKCS#1 RSA ({@code BEGIN RSA PRIVATE KEY}).
 */
public final class EngineTls {
    private final Path caCert;
    private final Path cert;
    private final Path key;
    private final boolean verify;
    private SSLContext context;
    private X509TrustManager trustManager;

    /** Any of the paths may be null: no CA (the JDK's trust store), no client certificate. */
    public EngineTls(Path caCert, Path cert, Path key, boolean verify) {
        this.caCert = caCert;
        this.cert = cert;
        this.key = key;
        this.verify = verify;
    }

    public boolean verify() {
        return verify;
    }

    /** The context, built on first use: commands on a Unix socket never pay for it. */
    public synchronized SSLContext context() {
        if (context == null) {
            try {
                KeyManagerFactory keys = null;
                if (cert != null && key != null) {
                    KeyStore store = KeyStore.getInstance("PKCS12");
                    store.load(null, null);
                    Collection<? extends Certificate> chain = certificates(cert, "Could not load X509 key pair");
                    store.setKeyEntry("client", privateKey(key), new char[0], chain.toArray(new Certificate[0]));
                    keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                    keys.init(store, new char[0]);
                }
                trustManager = verify ? verifyingTrustManager() : TRUST_ALL;
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(keys == null ? null : keys.getKeyManagers(), new TrustManager[] {trustManager}, null);
                context = ctx;
            } catch (GeneralSecurityException | IOException e) {
                throw new BerthException(ErrorCategory.INVALID_ARGUMENT, "could not set up TLS: " + e.getMessage(), e);
            }
        }
        return context;
    }

    public synchronized X509TrustManager trustManager() {
        context();
        return trustManager;
    }

    private X509TrustManager verifyingTrustManager() throws GeneralSecurityException, IOException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (caCert == null) {
            factory.init((KeyStore) null);
        } else {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int i = 0;
            for (Certificate c : certificates(caCert, "could not read CA certificate")) {
                trusted.setCertificateEntry("ca" + i++, c);
            }
            factory.init(trusted);
        }
        for (TrustManager tm : factory.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    private static Collection<? extends Certificate> certificates(Path file, String what) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends Certificate> all = CertificateFactory.getInstance("X.509").generateCertificates(in);
            if (all.isEmpty()) {
                throw new GeneralSecurityException(what + " " + file + ": no certificate in it");
            }
            return all;
        } catch (NoSuchFileException e) {
            throw new IOException(what + ": open " + file + ": no such file or directory", e);
        }
    }

    static PrivateKey privateKey(Path file) throws IOException, GeneralSecurityException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new IOException("Could not load X509 key pair: open " + file + ": no such file or directory", e);
        }
        byte[] der;
        if (pem.contains("-----BEGIN PRIVATE KEY-----")) {
            der = block(pem, "PRIVATE KEY");
        } else if (pem.contains("-----BEGIN RSA PRIVATE KEY-----")) {
            der = pkcs8FromPkcs1(block(pem, "RSA PRIVATE KEY"));
        } else {
            throw new GeneralSecurityException("Could not load X509 key pair: " + file
                    + ": expected a PKCS#8 (BEGIN PRIVATE KEY) or RSA (BEGIN RSA PRIVATE KEY) key");
        }
        for (String algorithm : new String[] {"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // try the next kind of key
            }
        }
        throw new GeneralSecurityException("Could not load X509 key pair: " + file + ": unsupported private key");
    }

    private static byte[] block(String pem, String type) {
        String begin = "-----BEGIN " + type + "-----";
        int start = pem.indexOf(begin) + begin.length();
        int end = pem.indexOf("-----END " + type + "-----", start);
        return Base64.getMimeDecoder().decode(pem.substring(start, end));
    }

    /** PKCS#1 RSAPrivateKey wrapped in a PKCS#8 PrivateKeyInfo with the rsaEncryption algorithm. */
    private static byte[] pkcs8FromPkcs1(byte[] pkcs1) {
        byte[] algorithm = {0x30, 0x0d, 0x06, 0x09, 0x2a, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xf7, 0x0d, 0x01, 0x01, 0x01, 0x05, 0x00};
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.writeBytes(new byte[] {0x02, 0x01, 0x00});
        body.writeBytes(algorithm);
        body.write(0x04);
        body.writeBytes(derLength(pkcs1.length));
        body.writeBytes(pkcs1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(0x30);
        out.writeBytes(derLength(body.size()));
        out.writeBytes(body.toByteArray());
        return out.toByteArray();
    }

    private static byte[] derLength(int length) {
        if (length < 0x80) {
            return new byte[] {(byte) length};
        }
        if (length < 0x100) {
            return new byte[] {(byte) 0x81, (byte) length};
        }
        if (length < 0x10000) {
            return new byte[] {(byte) 0x82, (byte) (length >> 8), (byte) length};
        }
        return new byte[] {(byte) 0x83, (byte) (length >> 16), (byte) (length >> 8), (byte) length};
    }

    /** docker's {@code --tls} without {@code --tlsverify}: encrypted, but any server certificate is accepted. */
    private static final X509TrustManager TRUST_ALL = new X509TrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };
}
