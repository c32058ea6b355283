package dev.berth.registry;

import dev.berth.errors.BerthException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * dockerd's {@code --insecure-registry} / daemon.json {@code insecure-registries}: each entry is either a
 * CIDR (every registry whose address falls in it) or a registry name, {@code host[:port]}, matched exactly
 * (moby's {@code IndexConfigs}). Loopback ({@code ::1/128}, {@code 127.0.0.0/8}) is always insecure.
 * "Insecure" means TLS without verification first, plain HTTP if TLS fails.
 */
public final class InsecureRegistries {
    /** dockerd appends these after the configured entries, in this order. */
    public static final List<String> DEFAULT_CIDRS = List.of("::1/128", "127.0.0.0/8");

    // reference.DomainRegexp: dot-separated components, optional port, or a bracketed IPv6 literal.
    private static final String COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern HOST_PORT = Pattern.compile(
            "(?:" + COMPONENT + "(?:\\." + COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])(?::[0-9]+)?");
    private static final Pattern IP_LITERAL = Pattern.compile("[0-9.]+|[0-9a-fA-F:.]*:[0-9a-fA-F:.]*");

    private final List<Cidr> cidrs; // configured ones first, then the defaults
    private final Set<String> names;
    private final List<String> warnings;

    private InsecureRegistries(List<Cidr> cidrs, Set<String> names, List<String> warnings) {
        this.cidrs = List.copyOf(cidrs);
        this.names = Set.copyOf(names);
        this.warnings = List.copyOf(warnings);
    }

    /**
     * Validates entries as dockerd does at start: a leading {@code http://} or {@code https://} is dropped
     * with a warning, any other scheme and malformed hosts are refused.
     *
     * @throws BerthException INVALID_ARGUMENT with dockerd's words
     */
    public static InsecureRegistries parse(Collection<String> entries) {
        List<Cidr> cidrs = new ArrayList<>();
        Set<String> names = new LinkedHashSet<>();
        List<String> warnings = new ArrayList<>();
        List<String> all = new ArrayList<>(entries);
        all.addAll(DEFAULT_CIDRS);
        for (String entry : all) {
            String r = entry.trim();
            if (r.startsWith("-") || r.endsWith("-")) {
                throw BerthException.invalid("invalid index name (" + r + "). Cannot begin or end with a hyphen");
            }
            String lower = r.toLowerCase(Locale.ROOT);
            if (lower.startsWith("http://") || lower.startsWith("https://")) {
                String scheme = r.substring(0, r.indexOf("://") + 3);
                warnings.add("insecure registry " + r + " should not contain '" + scheme + "' and '" + scheme
                        + "' has been removed from the insecure registry config");
                r = r.substring(scheme.length());
            } else if (r.contains("://")) {
                throw BerthException.invalid("insecure registry " + r + " should not contain '://'");
            }
            Cidr cidr = Cidr.parse(r);
            if (cidr != null) {
                if (!cidrs.contains(cidr)) {
                    cidrs.add(cidr);
                }
                continue;
            }
            validateHostPort(r);
            names.add(r);
        }
        return new InsecureRegistries(cidrs, names, warnings);
    }

    /** As {@link #parse}, but entries that do not validate are kept as names: for callers that validated earlier. */
    static InsecureRegistries lenient(Collection<String> entries) {
        try {
            return parse(entries);
        } catch (BerthException e) {
            List<Cidr> cidrs = new ArrayList<>();
            Set<String> names = new LinkedHashSet<>();
            for (String r : entries) {
                Cidr c = Cidr.parse(r);
                if (c != null) {
                    cidrs.add(c);
                } else {
                    names.add(r);
                }
            }
            DEFAULT_CIDRS.forEach(d -> cidrs.add(Cidr.parse(d)));
            return new InsecureRegistries(cidrs, names, List.of());
        }
    }

    private static void validateHostPort(String r) {
        String host = r;
        String port = null;
        if (r.startsWith("[")) {
            int end = r.indexOf(']');
            if (end > 0 && end + 1 < r.length() && r.charAt(end + 1) == ':') {
                port = r.substring(end + 2);
            }
            host = end > 0 ? r.substring(1, end) : r;
        } else if (r.indexOf(':') == r.lastIndexOf(':') && r.indexOf(':') >= 0) {
            host = r.substring(0, r.indexOf(':'));
            port = r.substring(r.indexOf(':') + 1);
        }
        if (!HOST_PORT.matcher(r).matches() && literal(host) == null) {
            throw BerthException.invalid("insecure registry " + r + " is not valid: invalid host \"" + host + "\"");
        }
        if (port != null) {
            int p;
            try {
                p = Integer.parseInt(port);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("insecure registry " + r + " is not valid: strconv.Atoi: parsing \""
                        + port + "\": invalid syntax");
            }
            if (p < 0 || p > 65535) {
                throw BerthException.invalid("insecure registry " + r + " is not valid: invalid port \"" + port + "\"");
            }
        }
    }

    /** True if {@code registry} (host[:port] as in an image reference) may skip TLS verification and use HTTP. */
    public boolean isInsecure(String registry) {
        if (names.contains(registry) || RegistryHosts.isLoopback(registry)) {
            return true;
        }
        if (cidrs.size() == DEFAULT_CIDRS.size()) {
            return false; // only loopback ranges, answered above without a DNS lookup
        }
        for (InetAddress address : addresses(RegistryHosts.hostname(registry))) {
            for (Cidr c : cidrs) {
                if (c.contains(address)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** As dockerd: the name's addresses if it resolves, else the host itself if it is an IP literal. */
    private static List<InetAddress> addresses(String host) {
        InetAddress literal = literal(host);
        if (literal != null) {
            return List.of(literal);
        }
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException e) {
            return List.of();
        }
    }

    /** The address an IP literal names, never a DNS lookup; null for anything else. */
    static InetAddress literal(String host) {
        if (host.isEmpty() || !IP_LITERAL.matcher(host).matches()) {
            return null;
        }
        if (host.indexOf(':') < 0) {
            String[] octets = host.split("\\.", -1);
            if (octets.length != 4) {
                return null;
            }
            for (String o : octets) {
                if (o.isEmpty() || o.length() > 3 || Integer.parseInt(o) > 255) {
                    return null; // InetAddress would look such a string up in DNS
                }
            }
        }
        try {
            return InetAddress.getByName(host);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** Registry names marked insecure ({@code IndexConfigs} with {@code Secure: false}), in the given order. */
    public List<String> names() {
        return List.copyOf(names);
    }

    /** {@code InsecureRegistryCIDRs}: the configured ranges, then the loopback defaults, in Go's notation. */
    public List<String> cidrs() {
        return cidrs.stream().map(Cidr::toString).toList();
    }

    /** What dockerd logs as warnings while reading the entries (schemes dropped). */
    public List<String> warnings() {
        return warnings;
    }

    /** An address range; {@code network} has its host bits cleared, as Go's {@code net.ParseCIDR} returns it. */
    record Cidr(byte[] network, int prefix) {
        static Cidr parse(String s) {
            int slash = s.indexOf('/');
            if (slash < 0) {
                return null;
            }
            InetAddress a = literal(s.substring(0, slash));
            int prefix;
            try {
                prefix = Integer.parseInt(s.substring(slash + 1));
            } catch (NumberFormatException e) {
                return null;
            }
            if (a == null || prefix < 0 || prefix > a.getAddress().length * 8) {
                return null;
            }
            byte[] net = a.getAddress();
            for (int bit = prefix; bit < net.length * 8; bit++) {
                net[bit / 8] &= (byte) ~(0x80 >>> (bit % 8));
            }
            return new Cidr(net, prefix);
        }

        boolean contains(InetAddress address) {
            byte[] b = address.getAddress();
            if (b.length != network.length) {
                return false;
            }
            for (int bit = 0; bit < prefix; bit++) {
                int mask = 0x80 >>> (bit % 8);
                if ((b[bit / 8] & mask) != (network[bit / 8] & mask)) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Cidr c && c.prefix == prefix && java.util.Arrays.equals(c.network, network);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(network) * 31 + prefix;
        }

        @Override
        public String toString() {
            try {
                String host = InetAddress.getByAddress(network).getHostAddress();
                if (network.length == 16) {
                    host = compressIpv6(host);
                }
                return host + "/" + prefix;
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e);
            }
        }

        /** Java prints 0:0:0:0:0:0:0:1; Go prints ::1 (the longest run of zero groups becomes ::). */
        private static String compressIpv6(String full) {
            String[] groups = full.split(":");
            int bestStart = -1;
            int bestLen = 0;
            for (int i = 0; i < groups.length; ) {
                if (groups[i].equals("0")) {
                    int j = i;
                    while (j < groups.length && groups[j].equals("0")) {
                        j++;
                    }
                    if (j - i > bestLen && j - i > 1) {
                        bestStart = i;
                        bestLen = j - i;
                    }
                    i = j;
                } else {
                    i++;
                }
            }
            if (bestStart < 0) {
                return full;
            }
            String left = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
            String right = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLen, groups.length));
            return left + "::" + right;
        }
    }
}
