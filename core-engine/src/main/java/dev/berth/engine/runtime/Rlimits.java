package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code process.rlimits}: the daemon's own RLIMIT_NOFILE by default, plus each {@code --ulimit}. No
 * limit ever goes above the daemon's current hard limit: without CAP_SYS_RESOURCE runc cannot raise
 * one and the whole start fails, so a value above it is clamped and a warning says so.
 */
public final class Rlimits {
    /** /proc/self/limits row labels by go-units ulimit name. */
    private static final Map<String, String> LABELS = Map.ofEntries(
            Map.entry("Max cpu time", "cpu"), Map.entry("Max file size", "fsize"), Map.entry("Max data size", "data"),
            Map.entry("Max stack size", "stack"), Map.entry("Max core file size", "core"),
            Map.entry("Max resident set", "rss"), Map.entry("Max processes", "nproc"),
            Map.entry("Max open files", "nofile"), Map.entry("Max locked memory", "memlock"),
            Map.entry("Max address space", "as"), Map.entry("Max file locks", "locks"),
            Map.entry("Max pending signals", "sigpending"), Map.entry("Max msgqueue size", "msgqueue"),
            Map.entry("Max nice priority", "nice"), Map.entry("Max realtime priority", "rtprio"),
            Map.entry("Max realtime timeout", "rttime"));

    /** One limit; -1 is unlimited (RLIM_INFINITY). */
    public record Limit(long soft, long hard) {
    }

    private final Map<String, Limit> current;

    /** @param current this daemon's limits by go-units name ("nofile"...) */
    public Rlimits(Map<String, Limit> current) {
        this.current = Map.copyOf(current);
    }

    public static Rlimits ofThisProcess() {
        Map<String, Limit> m = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                for (var e : LABELS.entrySet()) {
                    if (line.startsWith(e.getKey() + " ")) {
                        String[] f = line.substring(e.getKey().length()).trim().split("\\s+");
                        m.put(e.getValue(), new Limit(parse(f[0]), parse(f[1])));
                    }
                }
            }
        } catch (IOException | RuntimeException e) {
            // Without the table no limit can be checked, so none is set beyond what the caller asks.
        }
        return new Rlimits(m);
    }

    private static long parse(String s) {
        return s.equals("unlimited") ? -1 : Long.parseLong(s);
    }

    public Limit current(String name) {
        return current.get(name);
    }

    public void apply(ArrayNode rlimits, List<HostSettings.Ulimit> ulimits, List<String> warnings) {
        boolean nofileGiven = ulimits.stream().anyMatch(u -> u.name().equals("nofile"));
        Limit nofile = current.get("nofile");
        if (!nofileGiven && nofile != null) {
            add(rlimits, "nofile", nofile.soft(), nofile.hard());
        }
        for (HostSettings.Ulimit u : ulimits) {
            long soft = u.soft();
            long hard = u.hard();
            Limit max = current.get(u.name());
            if (max != null && max.hard() != -1) {
                if (above(hard, max.hard()) || above(soft, max.hard())) {
                    warnings.add("Ulimit " + u.name() + "=" + show(soft) + ":" + show(hard)
                            + " is above the daemon's hard limit of " + max.hard() + ", which it cannot raise; clamped to "
                            + unsignedMin(soft, max.hard()) + ":" + max.hard());
                    hard = max.hard();
                    soft = unsignedMin(soft, hard);
                }
            }
            add(rlimits, u.name(), soft, hard);
        }
    }

    private static boolean above(long value, long limit) {
        return Long.compareUnsigned(value, limit) > 0;
    }

    private static long unsignedMin(long a, long b) {
        return Long.compareUnsigned(a, b) <= 0 ? a : b;
    }

    private static String show(long v) {
        return v == -1 ? "unlimited" : Long.toString(v);
    }

    private static void add(ArrayNode rlimits, String name, long soft, long hard) {
        ObjectNode r = rlimits.addObject();
        r.put("type", "RLIMIT_" + name.toUpperCase(Locale.ROOT));
        r.put("hard", unsigned(hard));
        r.put("soft", unsigned(soft));
    }

    static BigInteger unsigned(long v) {
        return new BigInteger(Long.toUnsignedString(v));
    }
}
