package dev.berth.engine.client.run;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** go-connections' {@code nat.ParsePortSpec}: {@code [ip:][hostPort:]containerPort[/proto]}, ranges allowed. */
public final class PortSpec {
    /** One container port and where it is published; {@code hostPort} empty for a free one. */
    public record Mapping(String port, String hostIp, String hostPort) {
    }

    private PortSpec() {
    }

    public static List<Mapping> parse(String raw) {
        String[] parts = raw.split(":", -1);
        int n = parts.length;
        String container = parts[n - 1];
        String hostPort = n >= 2 ? parts[n - 2] : "";
        String ip = n == 3 ? parts[0] : n > 3 ? String.join(":", java.util.Arrays.copyOf(parts, n - 2)) : "";
        String proto = "";
        String[] pp = container.split("/", -1);
        if (!container.isEmpty() && !pp[0].isEmpty()) {
            proto = pp.length == 1 || pp[1].isEmpty() ? "tcp" : pp[1];
            container = pp[0];
        } else {
            container = "";
        }
        if (ip.startsWith("[")) {
            if (!ip.endsWith("]")) {
                throw ConfigException.invalid("invalid IP address " + ip + ": missing ']' in address");
            }
            ip = ip.substring(1, ip.length() - 1);
        }
        if (!ip.isEmpty() && !ContainerConfigBuilder.isIp(ip)) {
            throw ConfigException.invalid("invalid IP address: " + ip);
        }
        if (container.isEmpty()) {
            throw ConfigException.invalid("no port specified: " + raw + "<empty>");
        }
        int[] c = range(container);
        if (c == null) {
            throw ConfigException.invalid("invalid containerPort: " + container);
        }
        int[] h = null;
        if (!hostPort.isEmpty()) {
            h = range(hostPort);
            if (h == null) {
                throw ConfigException.invalid("invalid hostPort: " + hostPort);
            }
            if (c[1] - c[0] != h[1] - h[0] && c[1] != c[0]) {
                throw ConfigException.invalid("invalid ranges specified for container and host Ports: " + container + " and " + hostPort);
            }
        }
        proto = proto.toLowerCase(Locale.ROOT);
        if (!proto.equals("tcp") && !proto.equals("udp") && !proto.equals("sctp")) {
            throw ConfigException.invalid("invalid proto: " + proto);
        }
        int count = c[1] - c[0] + 1;
        List<Mapping> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            String hp = "";
            if (h != null) {
                hp = Integer.toString(h[0] + i);
                if (count == 1 && h[0] != h[1]) {
                    hp += "-" + h[1];
                }
            }
            out.add(new Mapping((c[0] + i) + "/" + proto, ip, hp));
        }
        return out;
    }

    /** {@code --expose 80}, {@code --expose 7000-7010/udp}. */
    public static List<String> expose(String raw) {
        String[] pp = raw.split("/", -1);
        String proto = pp.length > 1 && !pp[1].isEmpty() ? pp[1].toLowerCase(Locale.ROOT) : "tcp";
        int[] r = range(pp[0]);
        if (r == null) {
            throw ConfigException.invalid("invalid range format for --expose: " + raw);
        }
        List<String> out = new ArrayList<>();
        for (int p = r[0]; p <= r[1]; p++) {
            out.add(p + "/" + proto);
        }
        return out;
    }

    /** {@code nat.ParsePortRange}; null when it does not parse. */
    static int[] range(String s) {
        try {
            int dash = s.indexOf('-');
            if (dash < 0) {
                int p = port(s);
                return new int[] {p, p};
            }
            int start = port(s.substring(0, dash));
            int end = port(s.substring(dash + 1));
            return end < start ? null : new int[] {start, end};
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static int port(String s) {
        if (s.isEmpty() || !s.chars().allMatch(Character::isDigit)) {
            throw new NumberFormatException(s);
        }
        int p = Integer.parseInt(s);
        if (p > 65535) {
            throw new NumberFormatException(s);
        }
        return p;
    }
}
