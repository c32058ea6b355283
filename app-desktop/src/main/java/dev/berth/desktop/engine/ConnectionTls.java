package dev.berth.desktop.engine;

import dev.berth.engine.client.EngineTls;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TLS files of a saved {@code tcp://} connection, as docker's {@code --tlscacert/--tlscert/--tlskey}:
 * with a CA the engine's certificate (and name) is checked against it ({@code --tlsverify}); without
 * one the connection is encrypted but the server is not checked ({@code --tls}). A client certificate
 * needs its key. Kept in the catalog's settings under {@code connection.tls.<name>}.
 */
public record ConnectionTls(Path caCert, Path cert, Path key) {
    static final String SETTING_PREFIX = "connection.tls.";

    public EngineTls engineTls() {
        return new EngineTls(caCert, cert, key, caCert != null);
    }

    /** One line per file, empty for none; what the catalog keeps. */
    String encode() {
        return text(caCert) + "\n" + text(cert) + "\n" + text(key);
    }

    static Optional<ConnectionTls> decode(String s) {
        if (s == null || s.isBlank()) {
            return Optional.empty();
        }
        String[] parts = (s + "\n\n").split("\n", -1);
        return Optional.of(new ConnectionTls(path(parts[0]), path(parts[1]), path(parts[2])));
    }

    private static String text(Path p) {
        return p == null ? "" : p.toString();
    }

    static Path path(String s) {
        return s == null || s.isBlank() ? null : Path.of(s.strip());
    }
}
