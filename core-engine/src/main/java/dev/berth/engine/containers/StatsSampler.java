package dev.berth.engine.containers;

import dev.berth.engine.runtime.CgroupLayout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One reading of a container's resource use, from its cgroups (v1, v2 or hybrid, as {@link CgroupLayout}
 * detected), {@code /proc/stat} and the network devices of its namespace, turned into Docker's stats
 * JSON. The roots are parameters so that a test can hand it a fake tree.
 *
 * <p>Where a v1 hierarchy is mounted for a controller it is read there, also on a hybrid host, since the
 * limits were set there; the unified tree is read only when the host is v2 alone.
 */
public final class StatsSampler {
    /** Linux reports /proc/stat in USER_HZ, 100 on every architecture Docker runs on. */
    private static final long NANOS_PER_TICK = 10_000_000L;

    private final CgroupLayout.Mode mode;
    private final Path cgroupRoot;
    private final Path procRoot;

    public StatsSampler(CgroupLayout.Mode mode, Path cgroupRoot, Path procRoot) {
        this.mode = mode;
        this.cgroupRoot = cgroupRoot;
        this.procRoot = procRoot;
    }

    public static StatsSampler forHost() {
        return new StatsSampler(CgroupLayout.detect().mode(), Path.of("/sys/fs/cgroup"), Path.of("/proc"));
    }

    /** The raw numbers of one reading; absent values are -1. */
    public record Sample(Instant read, long cpuTotal, long cpuUser, long cpuKernel, List<Long> perCpu, long systemCpu,
                         int onlineCpus, long periods, long throttledPeriods, long throttledTime,
                         long memUsage, long memMaxUsage, long memLimit, long memFailcnt, Map<String, Long> memStats,
                         long pidsCurrent, long pidsLimit, Map<String, long[]> networks, List<BlkioEntry> ioBytes,
                         List<BlkioEntry> ioOps) {
    }

    public record BlkioEntry(long major, long minor, String op, long value) {
    }

    /** A reading of the container whose init is {@code pid}; a vanished process gives zeros. */
    public Sample sample(long pid) throws IOException {
        Instant now = Instant.now();
        Map<String, Path> dirs = cgroupDirs(pid);
        long[] sys = systemCpu();
        long cpuTotal = 0, cpuUser = 0, cpuKernel = 0, periods = 0, throttled = 0, throttledTime = 0;
        List<Long> perCpu = new ArrayList<>();
        long memUsage = 0, memMax = 0, memLimit = 0, failcnt = 0, pidsCurrent = 0, pidsLimit = 0;
        Map<String, Long> memStats = new LinkedHashMap<>();
        List<BlkioEntry> ioBytes = new ArrayList<>();
        List<BlkioEntry> ioOps = new ArrayList<>();
        long hostMemory = hostMemory();
        Path unified = dirs.get("");
        if (mode == CgroupLayout.Mode.V2 && unified != null) {
            Map<String, Long> cpu = keyValues(unified.resolve("cpu.stat"));
            cpuTotal = cpu.getOrDefault("usage_usec", 0L) * 1000;
            cpuUser = cpu.getOrDefault("user_usec", 0L) * 1000;
            cpuKernel = cpu.getOrDefault("system_usec", 0L) * 1000;
            periods = cpu.getOrDefault("nr_periods", 0L);
            throttled = cpu.getOrDefault("nr_throttled", 0L);
            throttledTime = cpu.getOrDefault("throttled_usec", 0L) * 1000;
            memUsage = number(unified.resolve("memory.current"), 0);
            memMax = number(unified.resolve("memory.peak"), 0);
            memLimit = limit(unified.resolve("memory.max"), hostMemory);
            memStats.putAll(keyValues(unified.resolve("memory.stat")));
            failcnt = keyValues(unified.resolve("memory.events")).getOrDefault("max", 0L);
            pidsCurrent = number(unified.resolve("pids.current"), 0);
            pidsLimit = limit(unified.resolve("pids.max"), 0);
            ioStatV2(unified.resolve("io.stat"), ioBytes, ioOps);
        } else {
            Path cpuacct = dirs.get("cpuacct");
            if (cpuacct != null) {
                cpuTotal = number(cpuacct.resolve("cpuacct.usage"), 0);
                Map<String, Long> stat = keyValues(cpuacct.resolve("cpuacct.stat"));
                cpuUser = stat.getOrDefault("user", 0L) * NANOS_PER_TICK;
                cpuKernel = stat.getOrDefault("system", 0L) * NANOS_PER_TICK;
                for (String v : read(cpuacct.resolve("cpuacct.usage_percpu")).trim().split("\\s+")) {
                    if (!v.isEmpty()) {
                        perCpu.add(Long.parseLong(v));
                    }
                }
            }
            Path cpu = dirs.get("cpu");
            if (cpu != null) {
                Map<String, Long> t = keyValues(cpu.resolve("cpu.stat"));
                periods = t.getOrDefault("nr_periods", 0L);
                throttled = t.getOrDefault("nr_throttled", 0L);
                throttledTime = t.getOrDefault("throttled_time", 0L);
            }
            Path memory = dirs.get("memory");
            if (memory != null) {
                memUsage = number(memory.resolve("memory.usage_in_bytes"), 0);
                memMax = number(memory.resolve("memory.max_usage_in_bytes"), 0);
                memLimit = limit(memory.resolve("memory.limit_in_bytes"), hostMemory);
                failcnt = number(memory.resolve("memory.failcnt"), 0);
                memStats.putAll(keyValues(memory.resolve("memory.stat")));
            }
            Path pids = dirs.get("pids");
            if (pids != null) {
                pidsCurrent = number(pids.resolve("pids.current"), 0);
                pidsLimit = limit(pids.resolve("pids.max"), 0);
            }
            Path blkio = dirs.get("blkio");
            if (blkio != null) {
                blkioV1(blkio.resolve("blkio.throttle.io_service_bytes"), ioBytes);
                blkioV1(blkio.resolve("blkio.throttle.io_serviced"), ioOps);
            }
        }
        return new Sample(now, cpuTotal, cpuUser, cpuKernel, perCpu, sys[0], (int) sys[1], periods, throttled,
                throttledTime, memUsage, memMax, memLimit, failcnt, memStats, pidsCurrent, pidsLimit, networks(pid),
                ioBytes, ioOps);
    }

    /** The container's cgroup directory per v1 controller, and under "" its unified (v2) directory. */
    Map<String, Path> cgroupDirs(long pid) throws IOException {
        Map<String, Path> out = new LinkedHashMap<>();
        for (String line : read(procRoot.resolve(Long.toString(pid)).resolve("cgroup")).split("\n")) {
            String[] f = line.split(":", 3);
            if (f.length < 3) {
                continue;
            }
            String rel = f[2].startsWith("/") ? f[2].substring(1) : f[2];
            if (f[1].isEmpty()) {
                Path v2Root = mode == CgroupLayout.Mode.V2 ? cgroupRoot : cgroupRoot.resolve("unified");
                out.put("", v2Root.resolve(rel));
                continue;
            }
            for (String controller : f[1].split(",")) {
                Path mount = cgroupRoot.resolve(f[1]);
                if (!Files.isDirectory(mount)) {
                    mount = cgroupRoot.resolve(controller);
                }
                out.put(controller, mount.resolve(rel));
            }
        }
        return out;
    }

    /** [nanoseconds of host CPU time, online CPUs], as moby's getSystemCPUUsage counts them. */
    long[] systemCpu() throws IOException {
        long total = 0;
        int cpus = 0;
        for (String line : read(procRoot.resolve("stat")).split("\n")) {
            if (line.startsWith("cpu ")) {
                String[] f = line.trim().split("\\s+");
                for (int i = 1; i < Math.min(f.length, 8); i++) {
                    total += Long.parseLong(f[i]);
                }
            } else if (line.startsWith("cpu")) {
                cpus++;
            }
        }
        return new long[] {total * NANOS_PER_TICK, cpus};
    }

    private long hostMemory() throws IOException {
        for (String line : read(procRoot.resolve("meminfo")).split("\n")) {
            if (line.startsWith("MemTotal:")) {
                return Long.parseLong(line.substring(9).trim().split("\\s+")[0]) * 1024;
            }
        }
        return 0;
    }

    /** Interfaces of the container's network namespace but loopback, as Docker lists them. */
    Map<String, long[]> networks(long pid) throws IOException {
        Map<String, long[]> out = new LinkedHashMap<>();
        for (String line : read(procRoot.resolve(Long.toString(pid)).resolve("net/dev")).split("\n")) {
            int colon = line.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String name = line.substring(0, colon).trim();
            if (name.equals("lo")) {
                continue;
            }
            String[] f = line.substring(colon + 1).trim().split("\\s+");
            if (f.length < 12) {
                continue;
            }
            // rx bytes, packets, errs, drop; tx bytes, packets, errs, drop
            out.put(name, new long[] {Long.parseLong(f[0]), Long.parseLong(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]),
                    Long.parseLong(f[8]), Long.parseLong(f[9]), Long.parseLong(f[10]), Long.parseLong(f[11])});
        }
        return out;
    }

    private static void blkioV1(Path file, List<BlkioEntry> out) throws IOException {
        for (String line : read(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 3 && f[0].contains(":")) {
                String[] dev = f[0].split(":");
                out.add(new BlkioEntry(Long.parseLong(dev[0]), Long.parseLong(dev[1]), f[1], Long.parseLong(f[2])));
            }
        }
    }

    /** v2's io.stat, in the op names moby gives it: read/write for bytes and for operations. */
    private static void ioStatV2(Path file, List<BlkioEntry> bytes, List<BlkioEntry> ops) throws IOException {
        for (String line : read(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 2 || !f[0].contains(":")) {
                continue;
            }
            String[] dev = f[0].split(":");
            long major = Long.parseLong(dev[0]);
            long minor = Long.parseLong(dev[1]);
            for (int i = 1; i < f.length; i++) {
                String[] kv = f[i].split("=", 2);
                if (kv.length != 2) {
                    continue;
                }
                long v = Long.parseLong(kv[1]);
                switch (kv[0]) {
                    case "rbytes" -> bytes.add(new BlkioEntry(major, minor, "read", v));
                    case "wbytes" -> bytes.add(new BlkioEntry(major, minor, "write", v));
                    case "rios" -> ops.add(new BlkioEntry(major, minor, "read", v));
                    case "wios" -> ops.add(new BlkioEntry(major, minor, "write", v));
                    default -> { }
                }
            }
        }
    }

    /** Docker's stats JSON for {@code cur}, with {@code pre} (or nothing) as the previous reading. */
    public static Map<String, Object> toJson(String id, String name, Sample cur, Sample pre) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "/" + name);
        m.put("id", id);
        m.put("read", cur == null ? ContainerService.ZERO_TIME : cur.read().toString());
        m.put("preread", pre == null ? ContainerService.ZERO_TIME : pre.read().toString());
        m.put("pids_stats", cur == null ? Map.of() : pids(cur));
        Map<String, Object> blkio = new LinkedHashMap<>();
        blkio.put("io_service_bytes_recursive", cur == null ? null : blkio(cur.ioBytes()));
        blkio.put("io_serviced_recursive", cur == null ? null : blkio(cur.ioOps()));
        for (String k : List.of("io_queue_recursive", "io_service_time_recursive", "io_wait_time_recursive",
                "io_merged_recursive", "io_time_recursive", "sectors_recursive")) {
            blkio.put(k, null);
        }
        m.put("blkio_stats", blkio);
        m.put("num_procs", 0);
        m.put("storage_stats", Map.of());
        m.put("cpu_stats", cpu(cur));
        m.put("precpu_stats", cpu(pre));
        m.put("memory_stats", memory(cur));
        if (cur != null && !cur.networks().isEmpty()) {
            Map<String, Object> nets = new LinkedHashMap<>();
            cur.networks().forEach((ifname, v) -> {
                Map<String, Object> n = new LinkedHashMap<>();
                n.put("rx_bytes", v[0]);
                n.put("rx_packets", v[1]);
                n.put("rx_errors", v[2]);
                n.put("rx_dropped", v[3]);
                n.put("tx_bytes", v[4]);
                n.put("tx_packets", v[5]);
                n.put("tx_errors", v[6]);
                n.put("tx_dropped", v[7]);
                nets.put(ifname, n);
            });
            m.put("networks", nets);
        }
        return m;
    }

    private static Map<String, Object> pids(Sample s) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("current", s.pidsCurrent());
        if (s.pidsLimit() > 0) {
            p.put("limit", s.pidsLimit());
        }
        return p;
    }

    private static List<Map<String, Object>> blkio(List<BlkioEntry> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (BlkioEntry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("major", e.major());
            m.put("minor", e.minor());
            m.put("op", e.op());
            m.put("value", e.value());
            out.add(m);
        }
        return out;
    }

    private static Map<String, Object> cpu(Sample s) {
        Map<String, Object> usage = new LinkedHashMap<>();
        usage.put("total_usage", s == null ? 0 : s.cpuTotal());
        if (s != null && !s.perCpu().isEmpty()) {
            usage.put("percpu_usage", s.perCpu());
        }
        usage.put("usage_in_kernelmode", s == null ? 0 : s.cpuKernel());
        usage.put("usage_in_usermode", s == null ? 0 : s.cpuUser());
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("cpu_usage", usage);
        if (s != null) {
            c.put("system_cpu_usage", s.systemCpu());
            c.put("online_cpus", s.onlineCpus());
        }
        Map<String, Object> t = new LinkedHashMap<>();
        t.put("periods", s == null ? 0 : s.periods());
        t.put("throttled_periods", s == null ? 0 : s.throttledPeriods());
        t.put("throttled_time", s == null ? 0 : s.throttledTime());
        c.put("throttling_data", t);
        return c;
    }

    private static Map<String, Object> memory(Sample s) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (s == null) {
            return m;
        }
        m.put("usage", s.memUsage());
        if (s.memMaxUsage() > 0) {
            m.put("max_usage", s.memMaxUsage());
        }
        m.put("stats", s.memStats());
        if (s.memFailcnt() > 0) {
            m.put("failcnt", s.memFailcnt());
        }
        m.put("limit", s.memLimit());
        return m;
    }

    /** CPU percentage the way the docker CLI computes it from one stats object, for tests and Berth's CLI. */
    public static double cpuPercent(Sample cur, Sample pre) {
        double cpuDelta = cur.cpuTotal() - (pre == null ? 0 : pre.cpuTotal());
        double systemDelta = cur.systemCpu() - (pre == null ? 0 : pre.systemCpu());
        if (cpuDelta <= 0 || systemDelta <= 0) {
            return 0;
        }
        return cpuDelta / systemDelta * cur.onlineCpus() * 100.0;
    }

    /** Memory use as the docker CLI shows it: the page cache that could be dropped is not counted. */
    public static long memoryUsage(Sample s) {
        Long inactive = s.memStats().get("total_inactive_file");
        if (inactive != null && inactive < s.memUsage()) {
            return s.memUsage() - inactive;
        }
        inactive = s.memStats().get("inactive_file");
        if (inactive != null && inactive < s.memUsage()) {
            return s.memUsage() - inactive;
        }
        return s.memUsage();
    }

    private static Map<String, Long> keyValues(Path file) throws IOException {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : read(file).split("\n")) {
            String[] f = line.trim().split("\\s+");
            if (f.length == 2) {
                try {
                    out.put(f[0], Long.parseLong(f[1]));
                } catch (NumberFormatException e) {
                    // "max" and other words are not counters
                }
            }
        }
        return out;
    }

    private static long number(Path file, long fallback) throws IOException {
        String s = read(file).trim();
        if (s.isEmpty()) {
            return fallback;
        }
        try {
            return Long.parseLong(s);
        } catch (NumberFormatException e) {
            return fallback;
        }
    }

    /** A limit file: "max" or a value beyond {@code cap} (when cap is set) reads as {@code cap}. */
    private static long limit(Path file, long cap) throws IOException {
        String s = read(file).trim();
        if (s.isEmpty() || s.equals("max")) {
            return cap;
        }
        long v;
        try {
            v = Long.parseLong(s);
        } catch (NumberFormatException e) {
            return cap;
        }
        return cap > 0 && v > cap ? cap : v;
    }

    /** A missing file (the container just exited, or a controller this host lacks) reads as empty. */
    private static String read(Path file) throws IOException {
        try {
            return Files.readString(file);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            return "";
        } catch (IOException e) {
            if (!Files.exists(file)) {
                return "";
            }
            throw e;
        }
    }
}
