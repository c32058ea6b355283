package dev.berth.engine.network;

import dev.berth.errors.BerthException;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A published port, {@code -p [hostIp:]hostPort:containerPort[/protocol]}, in the shape the CNI
 * {@code portMappings} capability carries it.
 *
 * @param hostIp null or empty for every host address
 */
public record PortMapping(String hostIp, int hostPort, int containerPort, String protocol) {
    public PortMapping {
        if (hostPort < 1 || hostPort > 65535) {
            throw BerthException.invalid("invalid host port: " + hostPort);
        }
        if (containerPort < 1 || containerPort > 65535) {
            throw BerthException.invalid("invalid container port: " + containerPort);
        }
        protocol = protocol == null ? "tcp" : protocol.toLowerCase(Locale.ROOT);
        if (!protocol.equals("tcp") && !protocol.equals("udp") && !protocol.equals("sctp")) {
            throw BerthException.invalid("invalid protocol: " + protocol);
        }
        hostIp = hostIp == null || hostIp.isBlank() ? null : hostIp;
    }

    public static PortMapping tcp(int hostPort, int containerPort) {
        return new PortMapping(null, hostPort, containerPort, "tcp");
    }

    /** The portmap plugin's runtimeConfig entry; hostIP is omitted rather than empty, meaning all addresses. */
    Map<String, Object> toCni() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("hostPort", hostPort);
        m.put("containerPort", containerPort);
        m.put("protocol", protocol);
        if (hostIp != null) {
            m.put("hostIP", hostIp);
        }
        return m;
    }
}
