package dev.berth.registry;

import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which host and scheme serve a registry name. Docker Hub's name ({@code docker.io}) is not where its
 * API lives. Plain HTTP is allowed only where Docker allows it: loopback registries and the configured
 * insecure ones; everything else must be HTTPS with a verified certificate.
 */
public final class RegistryHosts {
    public static final String DOCKER_HUB_API_HOST = "registry-1.docker.io";

    private static final Pattern IPV4_LOOPBACK = Pattern.compile("127(?:\\.(?:25[0-5]|2[0-4]\\d|1?\\d?\\d)){3}");

    private RegistryHosts() {
    }

    /**
     * The registry host a login names, as the docker CLI sends it: {@code https://index.docker.io/v1/},
     * a bare {@code host:port}, or nothing at all (Docker Hub).
     */
    public static String fromServerAddress(String serverAddress) {
        if (serverAddress == null || serverAddress.isBlank()) {
            return "docker.io";
        }
        String s = serverAddress.trim();
        int scheme = s.indexOf("://");
        if (scheme >= 0) {
            s = s.substring(scheme + 3);
        }
        int slash = s.indexOf('/');
        if (slash >= 0) {
            s = s.substring(0, slash);
        }
        return switch (s) {
            case "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com", "" -> "docker.io";
            default -> s;
        };
    }

    public static boolean isDockerHub(String registry) {
        String h = registry.toLowerCase(Locale.ROOT);
        return h.equals("docker.io") || h.equals("index.docker.io") || h.equals(DOCKER_HUB_API_HOST);
    }

    /** The host[:port] that serves the API of {@code registry}. */
    public static String apiHost(String registry) {
        return isDockerHub(registry) ? DOCKER_HUB_API_HOST : registry;
    }

    /** The host part of host[:port] (brackets kept off IPv6 literals). */
    static String hostname(String hostPort) {
        if (hostPort.startsWith("[")) {
            int end = hostPort.indexOf(']');
            return end < 0 ? hostPort : hostPort.substring(1, end);
        }
        int colon = hostPort.lastIndexOf(':');
        return colon < 0 ? hostPort : hostPort.substring(0, colon);
    }

    /** localhost, 127.0.0.0/8 or ::1: Docker treats these as insecure by default, and so do we. */
    public static boolean isLoopback(String hostPort) {
        String h = hostname(hostPort).toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.endsWith(".localhost") || h.equals("::1") || h.equals("0:0:0:0:0:0:0:1")
                || IPV4_LOOPBACK.matcher(h).matches();
    }

    /**
     * True if TLS need not be verified and plain HTTP may be used for {@code registry}: loopback, a name
     * listed exactly, or an address inside a listed CIDR ({@link InsecureRegistries}, dockerd's rules).
     */
    public static boolean isInsecure(String registry, Set<String> insecureRegistries) {
        return isLoopback(registry) || InsecureRegistries.lenient(insecureRegistries).isInsecure(registry);
    }
}
