package dev.berth.desktop.engine;

import dev.berth.engine.client.EngineEndpoint;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;

/** Why a Unix socket does or does not accept a connection: the cases the launcher acts on differ. */
public interface SocketProbe {
    enum Reach { ANSWERS, ABSENT, REFUSED, DENIED, OTHER }

    record Result(Reach reach, String detail) {
    }

    Result probe(EngineEndpoint endpoint);

    /** Connects for real (no HTTP): enough to tell a live listener from a stale or forbidden socket. */
    static SocketProbe real() {
        return endpoint -> {
            if (!endpoint.isUnix()) {
                return new Result(Reach.OTHER, "a TCP endpoint");
            }
            Path socket = endpoint.socketPath();
            if (!Files.exists(socket)) {
                return new Result(Reach.ABSENT, socket + " does not exist");
            }
            try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                ch.connect(UnixDomainSocketAddress.of(socket));
                return new Result(Reach.ANSWERS, "");
            } catch (IOException e) {
                String m = String.valueOf(e.getMessage());
                if (m.contains("Permission denied")) {
                    return new Result(Reach.DENIED, m);
                }
                if (m.contains("Connection refused")) {
                    return new Result(Reach.REFUSED, m);
                }
                if (m.contains("No such file")) {
                    return new Result(Reach.ABSENT, m);
                }
                return new Result(Reach.OTHER, m);
            }
        };
    }
}
