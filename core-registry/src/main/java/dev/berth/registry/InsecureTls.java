package dev.berth.registry;

import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * Docker's meaning of "insecure registry": TLS if offered, but unverified (dockerd's
 * {@code InsecureSkipVerify}). One copy for the registry client (OkHttp) and the index search
 * (java.net.http). The trust manager is an {@link X509ExtendedTrustManager} because java.net.http turns
 * on endpoint identification for every connection and the JDK runs it inside a plain
 * {@code X509TrustManager}'s wrapper; an extended one that checks nothing skips the host name too.
 */
final class InsecureTls {
    static final X509ExtendedTrustManager TRUST_ALL = new X509ExtendedTrustManager() {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    };

    private InsecureTls() {
    }

    /** A TLS context that accepts any server certificate, for any host name. */
    static SSLContext context() {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {TRUST_ALL}, new SecureRandom());
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("JDK cannot create a TLS context", e);
        }
    }
}
