package dev.berth.engine.network;

import dev.berth.errors.BerthException;

/**
 * An IPv4 prefix such as {@code 10.64.0.0/16}, held as its network address and length, so subnets
 * can be compared for overlap and addresses checked for membership without string games.
 */
public record Cidr(int network, int prefix) {
    public Cidr {
        if (prefix < 0 || prefix > 32) {
            throw BerthException.invalid("invalid prefix length: " + prefix);
        }
        network = network & mask(prefix);
    }

    /** Parses {@code a.b.c.d/n}; host bits are cleared, as Docker does ({@code 10.64.1.0/16} is 10.64.0.0/16). */
    public static Cidr parse(String s) {
        if (s == null) {
            throw BerthException.invalid("invalid CIDR address: null");
        }
        int slash = s.indexOf('/');
        if (slash < 0) {
            throw BerthException.invalid("invalid CIDR address: " + s);
        }
        int len;
        try {
            len = Integer.parseInt(s.substring(slash + 1));
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid CIDR address: " + s);
        }
        if (len < 0 || len > 32) {
            throw BerthException.invalid("invalid CIDR address: " + s);
        }
        return new Cidr(address(s.substring(0, slash)), len);
    }

    /** A dotted quad; anything else (IPv6, names, out-of-range octets) is invalid input. */
    public static int address(String s) {
        String[] p = s == null ? new String[0] : s.split("\\.", -1);
        if (p.length != 4) {
            throw BerthException.invalid("invalid IPv4 address: " + s);
        }
        int v = 0;
        for (String o : p) {
            if (!o.matches("\\d{1,3}") || Integer.parseInt(o) > 255) {
                throw BerthException.invalid("invalid IPv4 address: " + s);
            }
            v = (v << 8) | Integer.parseInt(o);
        }
        return v;
    }

    public static String format(int a) {
        return ((a >>> 24) & 255) + "." + ((a >>> 16) & 255) + "." + ((a >>> 8) & 255) + "." + (a & 255);
    }

    static int mask(int prefix) {
        return prefix == 0 ? 0 : -1 << (32 - prefix);
    }

    public boolean contains(int address) {
        return (address & mask(prefix)) == network;
    }

    public boolean contains(Cidr other) {
        return other.prefix >= prefix && contains(other.network);
    }

    public boolean overlaps(Cidr other) {
        return contains(other.network) || other.contains(network);
    }

    /** The n-th address of the prefix (1 is the first host address, Docker's default gateway). */
    public int host(int n) {
        return network + n;
    }

    public int broadcast() {
        return network | ~mask(prefix);
    }

    @Override
    public String toString() {
        return format(network) + "/" + prefix;
    }
}
