package dev.berth.engine.containers;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.Set;

/**
 * A binding's {@code HostPort} as moby's {@code nat.NewPort} reads it: one port, or a range
 * {@code start-end} (what {@code -p 8000-8010:80} sends) from which the first port that no other
 * container publishes and no host process holds is taken, as Docker's port allocator does.
 */
record HostPortRange(int start, int end) {

    /** @throws BerthException moby's 400 {@code invalid port specification: "<hostPort>"} */
    static HostPortRange parse(String hostPort) {
        int dash = hostPort.indexOf('-');
        try {
            int start = port(dash < 0 ? hostPort : hostPort.substring(0, dash));
            int end = dash < 0 ? start : port(hostPort.substring(dash + 1));
            if (end < start || start == 0) {
                throw new NumberFormatException(hostPort);
            }
            return new HostPortRange(start, end);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid port specification: \"" + hostPort + "\"");
        }
    }

    private static int port(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit) || s.length() > 5) {
            throw new NumberFormatException(s);
        }
        int p = Integer.parseInt(s);
        if (p > 65535) {
            throw new NumberFormatException(s);
        }
        return p;
    }

    boolean single() {
        return start == end;
    }

    /**
     * The first port of the range free for {@code proto} on {@code hostIp}: not in {@code used}
     * (other containers' DNAT rules bind nothing, so only that bookkeeping sees them) and bindable now.
     */
    int pick(String hostIp, String proto, Set<String> used) {
        String host = hostIp == null || hostIp.isEmpty() ? "0.0.0.0" : hostIp;
        for (int p = start; p <= end; p++) {
            if (!used.contains(p + "/" + proto) && bindable(host, p, proto)) {
                return p;
            }
        }
        throw BerthException.conflict("Bind for " + host + ":" + start + "-" + end
                + " failed: all ports in the range are already allocated");
    }

    private static boolean bindable(String host, int port, String proto) {
        InetSocketAddress addr = new InetSocketAddress(host, port);
        try {
            switch (proto) {
                case "udp" -> {
                    try (DatagramSocket s = new DatagramSocket(null)) {
                        s.bind(addr);
                    }
                }
                case "tcp" -> {
                    try (ServerSocket s = new ServerSocket()) {
                        s.bind(addr);
                    }
                }
                default -> {
                    // sctp cannot be probed from Java; the bookkeeping alone decides.
                }
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
