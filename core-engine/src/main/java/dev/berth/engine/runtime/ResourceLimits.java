package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * {@code linux.resources} for memory, swap, CPU and pids, checked as moby's
 * verifyPlatformContainerResources does: Docker's 400 messages for bad values, and a warning (with the
 * limit dropped) when this host's cgroups cannot apply one. The spec is the same on v1, v2 and hybrid;
 * runc translates it (shares to weight, swap to swap.max) for the hierarchy it finds.
 */
public final class ResourceLimits {
    /** Below this the kernel kills the container's init before it runs; Docker refuses it too. */
    public static final long MIN_MEMORY = 6L * 1024 * 1024;
    static final long CPU_PERIOD = 100_000;
    /** moby's defaultMaxCPUs: the bound on a parsed cpuset list (CVE-2018-20699). */
    private static final int MAX_CPUS = 8192;

    private final CgroupLayout cgroups;
    private final boolean swapLimit;
    private final String availableCpus;
    private final int onlineCpus;

    /**
     * @param swapLimit     the memory controller accounts swap (v1: memory.memsw.* exists; v2: always)
     * @param availableCpus this host's cpuset, e.g. "0-3"
     */
    public ResourceLimits(CgroupLayout cgroups, boolean swapLimit, String availableCpus, int onlineCpus) {
        this.cgroups = cgroups;
        this.swapLimit = swapLimit;
        this.availableCpus = availableCpus;
        this.onlineCpus = onlineCpus;
    }

    public static ResourceLimits forHost(CgroupLayout cgroups) {
        boolean swap = cgroups.mode() == CgroupLayout.Mode.V2 ? cgroups.has("memory") : v1SwapAccounting();
        String cpus = firstReadable(List.of("/sys/fs/cgroup/cpuset/cpuset.cpus", "/sys/fs/cgroup/cpuset.cpus.effective",
                "/sys/devices/system/cpu/online"));
        int online = Runtime.getRuntime().availableProcessors();
        return new ResourceLimits(cgroups, swap, cpus == null ? "0-" + (online - 1) : cpus, online);
    }

    /** moby sysinfo: swap is limited on v1 only when the memory hierarchy has memory.memsw.limit_in_bytes. */
    private static boolean v1SwapAccounting() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                int dash = line.indexOf(" - ");
                if (dash < 0) {
                    continue;
                }
                String[] pre = line.substring(0, dash).split(" ");
                String[] post = line.substring(dash + 3).split(" ");
                if (pre.length > 4 && post.length > 2 && post[0].equals("cgroup")
                        && List.of(post[2].split(",")).contains("memory")) {
                    return Files.exists(Path.of(MountInfo.unescape(pre[4]), "memory.memsw.limit_in_bytes"));
                }
            }
        } catch (IOException e) {
            // No mount table: report no swap accounting, which only costs a warning.
        }
        return false;
    }

    private static String firstReadable(List<String> files) {
        for (String f : files) {
            try {
                String s = Files.readString(Path.of(f)).trim();
                if (!s.isEmpty()) {
                    return s;
                }
            } catch (IOException e) {
                // try the next place this host may keep it
            }
        }
        return null;
    }

    public void apply(ObjectNode resources, CreateOptions opts, HostSettings host, List<String> warnings) {
        memory(resources, opts.memoryBytes(), host, warnings);
        cpu(resources, opts.cpus(), host, warnings);
        long pids = opts.pidsLimit();
        if (pids > 0) {
            if (cgroups.has("pids")) {
                resources.putObject("pids").put("limit", pids);
            } else {
                warnings.add("Your kernel does not support PIDs limit capabilities or the cgroup is not mounted. PIDs limit discarded.");
            }
        }
    }

    private void memory(ObjectNode resources, long memory, HostSettings host, List<String> warnings) {
        long swap = host.memorySwap();
        long reservation = host.memoryReservation();
        if (memory != 0 && memory < MIN_MEMORY) {
            throw BerthException.invalid("Minimum memory limit allowed is 6MB");
        }
        if (memory > 0 && swap == 0) {
            swap = memory * 2;
        }
        if (memory > 0 && !cgroups.has("memory")) {
            warnings.add("Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.");
            memory = 0;
            swap = -1;
        }
        if (memory > 0 && swap != -1 && !swapLimit) {
            warnings.add("Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap.");
            swap = -1;
        }
        if (memory > 0 && swap > 0 && swap < memory) {
            throw BerthException.invalid("Minimum memoryswap limit should be larger than memory limit, see usage");
        }
        if (memory == 0 && swap > 0) {
            throw BerthException.invalid("You should always set the Memory limit when using Memoryswap limit, see usage");
        }
        if (reservation > 0 && !cgroups.has("memory")) {
            warnings.add("Your kernel does not support memory soft limit capabilities or the cgroup is not mounted. Limitation discarded.");
            reservation = 0;
        }
        if (reservation > 0 && reservation < MIN_MEMORY) {
            throw BerthException.invalid("Minimum memory reservation allowed is 6MB");
        }
        if (memory > 0 && reservation > 0 && memory < reservation) {
            throw BerthException.invalid("Minimum memory limit can not be less than memory reservation limit, see usage");
        }
        int swappiness = host.memorySwappiness();
        boolean noOomKill = host.oomKillDisable();
        // moby's verifyPlatformContainerResources: both are cgroup v1 memory files, gone in v2.
        if (swappiness >= 0 && (cgroups.mode() == CgroupLayout.Mode.V2 || !cgroups.has("memory"))) {
            warnings.add("Your kernel does not support memory swappiness capabilities or the cgroup is not mounted. Memory swappiness discarded.");
            swappiness = -1;
        }
        if (noOomKill && (cgroups.mode() == CgroupLayout.Mode.V2 || !cgroups.has("memory"))) {
            warnings.add("Your kernel does not support OomKillDisable. OomKillDisable discarded.");
            noOomKill = false;
        }
        if (noOomKill && memory == 0) {
            warnings.add("OOM killer is disabled for the container, but no memory limit is set, this can result in the system running out of resources.");
        }
        if (memory > 0 || reservation > 0 || swappiness >= 0 || noOomKill) {
            ObjectNode m = resources.putObject("memory");
            if (memory > 0) {
                m.put("limit", memory);
            }
            if (reservation > 0) {
                m.put("reservation", reservation);
            }
            if (swap > 0) {
                m.put("swap", swap);
            }
            if (swappiness >= 0) {
                m.put("swappiness", swappiness);
            }
            if (noOomKill) {
                m.put("disableOOMKiller", true);
            }
        }
    }

    private void cpu(ObjectNode resources, double cpus, HostSettings host, List<String> warnings) {
        long nanoCpus = Math.round(cpus * 1e9);
        long period = host.cpuPeriod();
        long quota = host.cpuQuota();
        long shares = host.cpuShares();
        if (nanoCpus > 0 && period > 0) {
            throw BerthException.invalid("Conflicting options: Nano CPUs and CPU Period cannot both be set");
        }
        if (nanoCpus > 0 && quota > 0) {
            throw BerthException.invalid("Conflicting options: Nano CPUs and CPU Quota cannot both be set");
        }
        boolean cfs = cgroups.has("cpu");
        if (nanoCpus > 0 && !cfs) {
            throw BerthException.invalid("NanoCPUs can not be set, as your kernel does not support CPU CFS scheduler or the cgroup is not mounted");
        }
        if (nanoCpus != 0 && (nanoCpus < 0 || nanoCpus > onlineCpus * 1_000_000_000L)) {
            throw BerthException.invalid("range of CPUs is from 0.01 to " + onlineCpus + ".00, as there are only "
                    + onlineCpus + " CPUs available");
        }
        if (shares > 0 && !cfs) {
            warnings.add("Your kernel does not support CPU shares or the cgroup is not mounted. Shares discarded.");
            shares = 0;
        }
        if ((period != 0 || quota != 0) && !cfs) {
            warnings.add("Your kernel does not support CPU CFS scheduler. CPU period/quota discarded.");
            period = 0;
            quota = 0;
        }
        if (period != 0 && (period < 1000 || period > 1_000_000)) {
            throw BerthException.invalid("CPU cfs period can not be less than 1ms (i.e. 1000) or larger than 1s (i.e. 1000000)");
        }
        if (quota > 0 && quota < 1000) {
            throw BerthException.invalid("CPU cfs quota can not be less than 1ms (i.e. 1000)");
        }
        String cpuset = host.cpusetCpus();
        String mems = host.cpusetMems();
        if ((!cpuset.isEmpty() || !mems.isEmpty()) && !cgroups.has("cpuset")) {
            warnings.add("Your kernel does not support cpuset or the cgroup is not mounted. Cpuset discarded.");
            cpuset = "";
            mems = "";
        }
        if (!cpuset.isEmpty()) {
            Set<Integer> requested;
            try {
                requested = parseList(cpuset);
            } catch (IllegalArgumentException e) {
                throw BerthException.invalid("Invalid value " + cpuset + " for cpuset cpus: " + e.getMessage());
            }
            if (!parseList(availableCpus).containsAll(requested)) {
                throw BerthException.invalid("Requested CPUs are not available - requested " + cpuset + ", available: " + availableCpus);
            }
        }
        if (!mems.isEmpty()) {
            try {
                parseList(mems);
            } catch (IllegalArgumentException e) {
                throw BerthException.invalid("Invalid value " + mems + " for cpuset mems: " + e.getMessage());
            }
        }
        if (shares == 0 && nanoCpus == 0 && period == 0 && quota == 0 && cpuset.isEmpty() && mems.isEmpty()) {
            return;
        }
        ObjectNode cpu = resources.putObject("cpu");
        if (shares > 0) {
            cpu.put("shares", shares);
        }
        if (nanoCpus > 0) {
            cpu.put("quota", nanoCpus * CPU_PERIOD / 1_000_000_000L);
            cpu.put("period", CPU_PERIOD);
        }
        if (period != 0) {
            cpu.put("period", period);
        }
        if (quota != 0) {
            cpu.put("quota", quota);
        }
        if (!cpuset.isEmpty()) {
            cpu.put("cpus", cpuset);
        }
        if (!mems.isEmpty()) {
            cpu.put("mems", mems);
        }
    }

    /** moby parseUintList: "7", "1-6", "0,3-4,7"; the message is moby's. */
    static Set<Integer> parseList(String val) {
        Set<Integer> out = new TreeSet<>();
        if (val.isEmpty()) {
            return out;
        }
        IllegalArgumentException invalid = new IllegalArgumentException("invalid format: " + val);
        for (String r : val.split(",", -1)) {
            int dash = r.indexOf('-');
            int lo;
            int hi;
            try {
                if (dash < 0) {
                    lo = Integer.parseInt(r);
                    hi = lo;
                } else {
                    lo = Integer.parseInt(r.substring(0, dash));
                    hi = Integer.parseInt(r.substring(dash + 1));
                }
            } catch (NumberFormatException e) {
                throw invalid;
            }
            if (lo < 0 || hi < lo) {
                throw invalid;
            }
            if (hi > MAX_CPUS) {
                throw new IllegalArgumentException("value of out range, maximum is " + MAX_CPUS);
            }
            for (int i = lo; i <= hi; i++) {
                out.add(i);
            }
        }
        return out;
    }

    /** Whether this host's memory controller accounts swap (so a swap limit, -1 included, can be set). */
    public boolean swapLimit() {
        return swapLimit;
    }
}
