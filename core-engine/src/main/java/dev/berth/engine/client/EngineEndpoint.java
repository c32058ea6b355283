package dev.berth.engine.client;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * Where an engine listens: a Unix socket or a plain-HTTP TCP address.
 *
 * <p>Clients find the engine from an explicit {@code --host}, then {@code BERTH_HOST}, then
 * {@code DOCKER_HOST}, then the default socket, so that a user who already points {@code DOCKER_HOST}
 * at Berth (or at Docker) gets the same engine from the docker CLI and from berth.
 */
public final class EngineEndpoint {
    /** The engine's socket when it runs as root. */
    public static final Path ROOT_SOCKET = Path.of("/run/berth/berth.sock");
    /** Docker's default TCP port for plain HTTP, used when {@code tcp://host} has none. */
    public static final int DEFAULT_TCP_PORT = 2375;

    public enum Kind { UNIX, TCP }

    private final Kind kind;
    private final Path socketPath;
    private final String host;
    private final int port;
    private final String source;

    private EngineEndpoint(Kind kind, Path socketPath, String host, int port, String source) {
        this.kind = kind;
        this.socketPath = socketPath;
        this.host = host;
        this.port = port;
        this.source = source;
    }

    /** Resolves from an explicit host (may be null), then the environment, for the current user. */
    public static EngineEndpoint resolve(String explicitHost, Map<String, String> env) {
        return resolve(explicitHost, env, currentUid());
    }

    /** Resolves as {@link #resolve(String, Map)} would for the user with this uid. */
    public static EngineEndpoint resolve(String explicitHost, Map<String, String> env, int uid) {
        if (notBlank(explicitHost)) {
            return parse(explicitHost, "--host");
        }
        for (String variable : new String[] {"BERTH_HOST", "DOCKER_HOST"}) {
            String value = env.get(variable);
            if (notBlank(value)) {
                return parse(value, variable);
            }
        }
        return unix(defaultSocket(env, uid), "default");
    }

    /** The default socket: {@code /run/berth/berth.sock} for root, else under the user's runtime dir. */
    public static Path defaultSocket(Map<String, String> env, int uid) {
        if (uid == 0) {
            return ROOT_SOCKET;
        }
        String runtimeDir = env.get("XDG_RUNTIME_DIR");
        Path base = notBlank(runtimeDir) ? Path.of(runtimeDir) : Path.of("/run/user", Integer.toString(uid));
        return base.resolve("berth").resolve("berth.sock");
    }

    public static EngineEndpoint parse(String value) {
        return parse(value, "--host");
    }

    public static EngineEndpoint unix(Path socket) {
        return unix(socket, "explicit");
    }

    public static EngineEndpoint tcp(String host, int port) {
        return new EngineEndpoint(Kind.TCP, null, host, port, "explicit");
    }

    private static EngineEndpoint unix(Path socket, String source) {
        return new EngineEndpoint(Kind.UNIX, socket, null, 0, source);
    }

    private static EngineEndpoint parse(String value, String source) {
        String v = value.strip();
        if (v.startsWith("/")) {
            return unix(Path.of(v), source);
        }
        int sep = v.indexOf("://");
        if (sep < 0) {
            throw BerthException.invalid("invalid engine host \"" + value + "\" (from " + source
                    + "): expected unix:///path/to.sock or tcp://host:port");
        }
        String scheme = v.substring(0, sep).toLowerCase();
        String rest = v.substring(sep + 3);
        switch (scheme) {
            case "unix" -> {
                if (rest.isEmpty()) {
                    return unix(defaultSocket(Map.of(), currentUid()), source);
                }
                return unix(Path.of(rest), source);
            }
            case "tcp", "http" -> {
                return parseTcp(value, rest, source);
            }
            default -> throw new BerthException(dev.berth.errors.ErrorCategory.INVALID_ARGUMENT,
                    "unsupported engine host \"" + value + "\" (from " + source + "): only unix:// and tcp:// "
                            + "(plain HTTP) are supported");
        }
    }

    private static EngineEndpoint parseTcp(String original, String rest, String source) {
        int slash = rest.indexOf('/');
        String authority = slash >= 0 ? rest.substring(0, slash) : rest;
        try {
            URI uri = new URI("tcp://" + (authority.startsWith(":") ? "localhost" + authority : authority));
            String host = uri.getHost();
            if (host == null || host.isEmpty()) {
                throw BerthException.invalid("invalid engine host \"" + original + "\" (from " + source + "): no host name");
            }
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port = uri.getPort() < 0 ? DEFAULT_TCP_PORT : uri.getPort();
            return new EngineEndpoint(Kind.TCP, null, host, port, source);
        } catch (URISyntaxException e) {
            throw BerthException.invalid("invalid engine host \"" + original + "\" (from " + source + "): " + e.getReason());
        }
    }

    /** The effective uid, read from the owner of /proc/self; -1 when it cannot be told. */
    static int currentUid() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return (Integer) uid;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            return "root".equals(System.getProperty("user.name")) ? 0 : -1;
        }
    }

    private static boolean notBlank(String s) {
        return s != null && !s.isBlank();
    }

    public Kind kind() {
        return kind;
    }

    public boolean isUnix() {
        return kind == Kind.UNIX;
    }

    /** The socket path; only for {@link Kind#UNIX}. */
    public Path socketPath() {
        return socketPath;
    }

    /** The TCP host; only for {@link Kind#TCP}. */
    public String host() {
        return host;
    }

    /** The TCP port; only for {@link Kind#TCP}. */
    public int port() {
        return port;
    }

    /** Where this endpoint came from: {@code --host}, {@code BERTH_HOST}, {@code DOCKER_HOST} or {@code default}. */
    public String source() {
        return source;
    }

    /** The endpoint as a user would write it: {@code unix:///run/berth/berth.sock}, {@code tcp://host:2375}. */
    public String uri() {
        if (kind == Kind.UNIX) {
            return "unix://" + socketPath;
        }
        return "tcp://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EngineEndpoint e && e.kind == kind && Objects.equals(e.socketPath, socketPath)
                && Objects.equals(e.host, host) && e.port == port;
    }

    @Override
    public int hashCode() {
        return Objects.hash(kind, socketPath, host, port);
    }

    @Override
    public String toString() {
        return uri();
    }
}
