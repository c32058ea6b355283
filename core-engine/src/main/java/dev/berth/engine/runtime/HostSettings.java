package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The HostConfig fields about isolation and resources that {@link CreateOptions} does not carry
 * itself, parsed and checked the way moby's validateHostConfig and parseSecurityOpt do, so a bad
 * value is a 400 at create time with Docker's message and nothing is written.
 *
 * @param seccomp         null for the default profile, "unconfined", or a profile's JSON
 * @param memorySwap      0 when not given (Docker then makes it twice the memory), -1 for unlimited
 * @param shmSize         bytes of /dev/shm, Docker's 64MB when not given
 * @param maskedPaths     null for Docker's list, else the caller's (empty with {@code systempaths=unconfined})
 * @param hostNetwork     the container shares the host's network namespace
 * @param oomScoreAdj     the process's {@code oom_score_adj}, -1000..1000, 0 to inherit
 * @param namespaces      {@code --pid}, {@code --ipc} and {@code --uts}: which namespaces the container shares
 * @param memorySwappiness 0..100, or -1 to leave the kernel's
 * @param oomKillDisable  {@code --oom-kill-disable}
 */
public record HostSettings(
        boolean privileged,
        List<String> capAdd,
        List<String> capDrop,
        String seccomp,
        boolean noNewPrivileges,
        Map<String, String> sysctls,
        List<Ulimit> ulimits,
        List<String> groupAdd,
        long memorySwap,
        long memoryReservation,
        long cpuShares,
        long cpuPeriod,
        long cpuQuota,
        String cpusetCpus,
        String cpusetMems,
        long shmSize,
        List<String> maskedPaths,
        List<String> readonlyPaths,
        boolean hostNetwork,
        List<DeviceMapping> devices,
        List<String> deviceCgroupRules,
        int oomScoreAdj,
        Namespaces namespaces,
        int memorySwappiness,
        boolean oomKillDisable) {

    /**
     * The namespace modes moby validates (PidMode, IpcMode, UTSMode). "host" shares the host's; an IPC
     * mode of "none" has no /dev/shm. Joining another container's namespace is not supported yet.
     */
    public record Namespaces(boolean hostPid, boolean hostIpc, boolean noShm, boolean hostUts, String domainname) {
        static final Namespaces PRIVATE = new Namespaces(false, false, false, false, "");

        /** @param domainname {@code Config.Domainname}, which the container's own UTS namespace holds */
        static Namespaces of(JsonNode hc, String hostname, String domainname) {
            String pid = hc.path("PidMode").asText("");
            String ipc = hc.path("IpcMode").asText("");
            String uts = hc.path("UTSMode").asText("");
            if (!pid.isEmpty() && !pid.equals("host")) {
                throw pid.startsWith("container:") && pid.length() > 10 ? notYet("PID", pid) : BerthException.invalid("invalid PID mode: " + pid);
            }
            if (!Set.of("", "none", "private", "shareable", "host").contains(ipc)) {
                throw ipc.startsWith("container:") && ipc.length() > 10 ? notYet("IPC", ipc) : BerthException.invalid("invalid IPC mode: " + ipc);
            }
            if (!uts.isEmpty() && !uts.equals("host")) {
                throw BerthException.invalid("invalid UTS mode: " + uts);
            }
            if (uts.equals("host") && hostname != null && !hostname.isEmpty()) {
                throw BerthException.invalid("conflicting options: hostname and the UTS mode");
            }
            return new Namespaces(pid.equals("host"), ipc.equals("host"), ipc.equals("none"), uts.equals("host"),
                    domainname == null ? "" : domainname);
        }

        private static BerthException notYet(String kind, String mode) {
            return new BerthException(dev.berth.errors.ErrorCategory.NOT_IMPLEMENTED,
                    kind + " mode \"" + mode + "\" is not supported by Berth yet", null);
        }
    }

    /** One {@code --device}: PathOnHost, PathInContainer, CgroupPermissions as the API names them. */
    public record DeviceMapping(String pathOnHost, String pathInContainer, String cgroupPermissions) {
    }

    /** Docker's default /dev/shm size (daemon config.DefaultShmSize). */
    public static final long DEFAULT_SHM_SIZE = 64L * 1024 * 1024;
    public static final String UNCONFINED = "unconfined";

    /** go-units' ulimit names. */
    static final Set<String> ULIMIT_NAMES = Set.of("core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue",
            "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack", "as");

    /** One {@code --ulimit name=soft:hard}; -1 is unlimited. */
    public record Ulimit(String name, long soft, long hard) {
    }

    public static HostSettings defaults() {
        return new HostSettings(false, List.of(), List.of(), null, false, Map.of(), List.of(), List.of(),
                0, 0, 0, 0, 0, "", "", DEFAULT_SHM_SIZE, null, null, false, List.of(), List.of(), 0, Namespaces.PRIVATE, -1, false);
    }

    /**
     * @param hc          the request's HostConfig (may be missing)
     * @param networkMode the resolved network mode ("host" shares the host's namespace)
     */
    public static HostSettings from(JsonNode hc, String networkMode) {
        return from(hc, networkMode, "", "");
    }

    /**
     * @param hostname   the container's own {@code Config.Hostname}, which --uts host refuses
     * @param domainname its {@code Config.Domainname}
     */
    public static HostSettings from(JsonNode hc, String networkMode, String hostname, String domainname) {
        validateRestartPolicy(hc);
        List<String> securityOpt = strings(hc.get("SecurityOpt"));
        String seccomp = null;
        boolean nnp = false;
        for (String opt : securityOpt) {
            if (opt.equals("no-new-privileges")) {
                nnp = true;
                continue;
            }
            if (opt.equals("disable") || opt.equals("writable-cgroups")) {
                continue;
            }
            int eq = opt.indexOf('=');
            int colon = opt.indexOf(':');
            int cut = eq >= 0 ? eq : colon;
            if (cut < 0) {
                throw BerthException.invalid("invalid --security-opt 1: \"" + opt + "\"");
            }
            String k = opt.substring(0, cut);
            String v = opt.substring(cut + 1);
            switch (k) {
                case "label", "apparmor" -> {
                    // No SELinux or AppArmor here; Docker ignores both when the host lacks them.
                }
                case "seccomp" -> seccomp = v.equals("builtin") ? null : v;
                case "no-new-privileges" -> nnp = parseBool(v, opt);
                case "writable-cgroups" -> parseBool(v, opt);
                default -> throw BerthException.invalid("invalid --security-opt 2: \"" + opt + "\"");
            }
        }
        Map<String, String> sysctls = new LinkedHashMap<>();
        if (hc.path("Sysctls").isObject()) {
            hc.path("Sysctls").properties().forEach(e -> sysctls.put(e.getKey(), e.getValue().asText()));
        }
        List<Ulimit> ulimits = new ArrayList<>();
        for (JsonNode u : hc.path("Ulimits")) {
            String name = u.path("Name").asText("");
            if (!ULIMIT_NAMES.contains(name)) {
                throw BerthException.invalid("invalid ulimit type: " + name);
            }
            long soft = u.path("Soft").asLong(0);
            long hard = u.path("Hard").asLong(0);
            if (Long.compareUnsigned(soft, hard) > 0) {
                throw BerthException.invalid("ulimit soft limit must be less than or equal to hard limit: " + soft + " > " + hard);
            }
            ulimits.add(new Ulimit(name, soft, hard));
        }
        long shm = hc.path("ShmSize").asLong(0);
        if (shm < 0) {
            throw BerthException.invalid("SHM size can not be less than 0");
        }
        long oomScoreAdj = hc.path("OomScoreAdj").asLong(0);
        if (oomScoreAdj < -1000 || oomScoreAdj > 1000) {
            // moby's verifyPlatformContainerResources
            throw BerthException.invalid("Invalid value " + oomScoreAdj + ", range for oom score adj is [-1000, 1000]");
        }
        long swappiness = hc.path("MemorySwappiness").isNumber() ? hc.path("MemorySwappiness").asLong() : -1;
        if (swappiness != -1 && (swappiness < 0 || swappiness > 100)) {
            throw BerthException.invalid("Invalid value: " + swappiness + ", valid memory swappiness range is 0-100");
        }
        long shares = hc.path("CpuShares").asLong(0);
        if (shares < 0) {
            throw BerthException.invalid("invalid CPU shares (" + shares + "): value must be a positive integer");
        }
        return new HostSettings(hc.path("Privileged").asBoolean(false), strings(hc.get("CapAdd")), strings(hc.get("CapDrop")),
                seccomp, nnp, java.util.Collections.unmodifiableMap(sysctls), List.copyOf(ulimits), strings(hc.get("GroupAdd")),
                hc.path("MemorySwap").asLong(0), hc.path("MemoryReservation").asLong(0), shares,
                hc.path("CpuPeriod").asLong(0), hc.path("CpuQuota").asLong(0),
                hc.path("CpusetCpus").asText(""), hc.path("CpusetMems").asText(""),
                shm == 0 ? DEFAULT_SHM_SIZE : shm,
                nullableStrings(hc.get("MaskedPaths")), nullableStrings(hc.get("ReadonlyPaths")),
                "host".equals(networkMode), devices(hc.path("Devices")), strings(hc.get("DeviceCgroupRules")), (int) oomScoreAdj,
                Namespaces.of(hc, hostname, domainname), (int) swappiness, hc.path("OomKillDisable").asBoolean(false));
    }

    /** moby ValidateRestartPolicy and validateHostConfig's AutoRemove rule. */
    static void validateRestartPolicy(JsonNode hc) {
        JsonNode rp = hc.path("RestartPolicy");
        String name = rp.path("Name").asText("");
        long max = rp.path("MaximumRetryCount").asLong(0);
        switch (name) {
            case "always", "unless-stopped", "no" -> {
                if (max != 0) {
                    String msg = "invalid restart policy: maximum retry count can only be used with 'on-failure'";
                    throw BerthException.invalid(max < 0 ? msg + " and cannot be negative" : msg);
                }
            }
            case "on-failure" -> {
                if (max < 0) {
                    throw BerthException.invalid("invalid restart policy: maximum retry count cannot be negative");
                }
            }
            case "" -> {
            }
            default -> throw BerthException.invalid("invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        if (hc.path("AutoRemove").asBoolean(false) && !name.isEmpty() && !name.equals("no")) {
            throw BerthException.invalid("can't create 'AutoRemove' container with restart policy");
        }
    }

    /**
     * What Docker stores back into HostConfig at create (adaptContainerSettings), so inspect shows it:
     * the default swap of twice the memory, the default /dev/shm size, and the fields a client left out.
     */
    public void echoInto(ObjectNode hostConfig, long memory) {
        if (memory > 0 && memorySwap == 0) {
            hostConfig.put("MemorySwap", memory * 2);
        }
        hostConfig.put("ShmSize", shmSize);
        for (String f : List.of("Memory", "NanoCpus", "MemoryReservation", "CpuShares", "CpuPeriod", "CpuQuota")) {
            if (!hostConfig.hasNonNull(f)) {
                hostConfig.put(f, 0);
            }
        }
        for (String f : List.of("Privileged", "ReadonlyRootfs")) {
            if (!hostConfig.hasNonNull(f)) {
                hostConfig.put(f, false);
            }
        }
        for (String f : List.of("CapAdd", "CapDrop", "SecurityOpt", "PidsLimit", "GroupAdd")) {
            if (!hostConfig.has(f)) {
                hostConfig.putNull(f);
            }
        }
        if (!hostConfig.hasNonNull("Ulimits")) {
            hostConfig.putArray("Ulimits");
        }
        for (String f : List.of("CpusetCpus", "CpusetMems")) {
            if (!hostConfig.hasNonNull(f)) {
                hostConfig.put(f, "");
            }
        }
    }

    private static List<DeviceMapping> devices(JsonNode n) {
        List<DeviceMapping> out = new ArrayList<>();
        for (JsonNode d : n) {
            String host = d.path("PathOnHost").asText("");
            if (host.isEmpty()) {
                throw BerthException.invalid("invalid device mapping: PathOnHost is empty");
            }
            out.add(new DeviceMapping(host, d.path("PathInContainer").asText(""), d.path("CgroupPermissions").asText("")));
        }
        return List.copyOf(out);
    }

    private static boolean parseBool(String v, String opt) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "t", "true" -> true;
            case "0", "f", "false" -> false;
            default -> throw BerthException.invalid("invalid --security-opt 2: \"" + opt + "\"");
        };
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = nullableStrings(n);
        return out == null ? List.of() : out;
    }

    private static List<String> nullableStrings(JsonNode n) {
        if (n == null || n.isNull() || !(n instanceof ArrayNode a)) {
            return null;
        }
        List<String> out = new ArrayList<>();
        a.forEach(e -> out.add(e.asText()));
        return List.copyOf(out);
    }
}
