package dev.berth.engine.network;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Docker's default address pools for networks created without {@code --subnet}: 172.17-31.0.0/16,
 * then 192.168.0.0/16 cut into /20s. A candidate is skipped when it overlaps a subnet already taken
 * (the default bridge's, other networks') or a route of the host, so a new network never shadows
 * the host's own LAN or VPN.
 */
public final class SubnetPool {
    private SubnetPool() {
    }

    public static List<Cidr> candidates() {
        List<Cidr> out = new ArrayList<>();
        for (int b = 17; b <= 31; b++) {
            out.add(Cidr.parse("172." + b + ".0.0/16"));
        }
        for (int c = 0; c < 256; c += 16) {
            out.add(Cidr.parse("192.168." + c + ".0/20"));
        }
        return out;
    }

    /** The first candidate that overlaps nothing in {@code taken}; a full pool is Docker's error. */
    public static Cidr pick(List<Cidr> taken) {
        for (Cidr c : candidates()) {
            if (taken.stream().noneMatch(c::overlaps)) {
                return c;
            }
        }
        throw new BerthException(ErrorCategory.FORBIDDEN,
                "all predefined address pools have been fully subnetted");
    }

    /** The host's IPv4 routes, default route excluded, from {@code /proc/net/route} (little-endian hex). */
    public static List<Cidr> hostRoutes() {
        List<Cidr> out = new ArrayList<>();
        try {
            List<String> lines = Files.readAllLines(Path.of("/proc/net/route"));
            for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 8) {
                    continue;
                }
                int dst = Integer.reverseBytes((int) Long.parseLong(f[1], 16));
                int mask = Integer.reverseBytes((int) Long.parseLong(f[7], 16));
                int prefix = Integer.bitCount(mask);
                if (prefix > 0) {
                    out.add(new Cidr(dst, prefix));
                }
            }
        } catch (IOException | RuntimeException e) {
            // Without the routing table the pool still avoids Berth's own subnets.
        }
        return out;
    }
}
