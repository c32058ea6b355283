package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import dev.berth.images.manifest.ImageConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The OCI runtime-spec config.json for one container, from the image config plus the create options,
 * with Docker's defaults: its capability set, mounts, masked and read-only paths and Cmd/Entrypoint
 * rules. Limits are only asked for when this host's cgroups can apply them, and no rlimit is set
 * above what the daemon itself holds, because a runtime without CAP_SYS_RESOURCE cannot raise one and
 * fails the whole create.
 */
public final class OciSpecBuilder {
    public static final String OCI_VERSION = "1.0.2";
    /** Docker's PATH for a container whose image sets none (moby's system.DefaultPathEnv). */
    public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    /** Below this the kernel kills the container's init before it runs; Docker refuses it too. */
    public static final long MIN_MEMORY = ResourceLimits.MIN_MEMORY;

    public static final List<String> DEFAULT_CAPABILITIES = Capabilities.DEFAULT;

    /** moby oci/defaults.go: kernel interfaces that leak host information or allow host changes. */
    public static final List<String> MASKED_PATHS = List.of(
            "/proc/acpi", "/proc/asound", "/proc/interrupts", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/sched_debug", "/proc/scsi", "/proc/timer_list", "/proc/timer_stats",
            "/sys/devices/virtual/powercap", "/sys/firmware");

    public static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

    /** Mounts a {@code --read-only} container keeps writable (moby withMounts). */
    private static final Set<String> WRITABLE_WHEN_READ_ONLY = Set.of("/proc", "/dev/pts", "/dev/shm", "/dev/mqueue", "/dev");

    /** One line of /proc/self/limits; {@code -1} stands for unlimited. */
    public record Rlimit(String type, long soft, long hard) {
    }

    /** The spec and the limits that were dropped because the host cannot apply them (Docker's Warnings). */
    public record Result(ObjectNode spec, List<String> warnings) {
        public void writeTo(Path bundle) {
            try {
                Files.createDirectories(bundle);
                Path tmp = bundle.resolve("config.json.tmp");
                Files.write(tmp, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(spec));
                Files.move(tmp, bundle.resolve("config.json"), StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * What this host allows, read once at start-up: tests pass fixed values.
     *
     * @param maskedPaths  Docker's list plus the thermal_throttle files this host has
     * @param sysctlExists whether a sysctl exists here (Docker adds its defaults only where they do)
     * @param devDir       the host's /dev, listed for {@code --privileged}
     */
    public record Host(CgroupLayout cgroups, Capabilities capabilities, Rlimits rlimits, ResourceLimits resources,
                       SeccompProfile seccomp, List<String> maskedPaths, Predicate<String> sysctlExists, Path devDir) {
        public static Host detect(CgroupLayout cgroups) {
            return new Host(cgroups, Capabilities.ofThisProcess(), Rlimits.ofThisProcess(), ResourceLimits.forHost(cgroups),
                    SeccompProfile.forHost(), hostMaskedPaths(), Sysctls::existsOnHost, Path.of("/dev"));
        }
    }

    private final Host host;
    private final String cgroupParent;

    /**
     * This host's facts, except the cgroup layout and RLIMIT_NOFILE, which are given.
     *
     * @param nofile       the daemon's own RLIMIT_NOFILE, given to containers as is
     * @param cgroupParent cgroupfs path under which each container gets {@code <parent>/<id>}
     */
    public OciSpecBuilder(CgroupLayout cgroups, Rlimit nofile, String cgroupParent) {
        this(withNofile(Host.detect(cgroups), nofile), cgroupParent);
    }

    public OciSpecBuilder(Host host, String cgroupParent) {
        this.host = host;
        this.cgroupParent = cgroupParent;
    }

    private static Host withNofile(Host h, Rlimit nofile) {
        java.util.Map<String, Rlimits.Limit> limits = new java.util.HashMap<>();
        for (String name : HostSettings.ULIMIT_NAMES) {
            Rlimits.Limit l = h.rlimits().current(name);
            if (l != null) {
                limits.put(name, l);
            }
        }
        limits.remove("nofile");
        if (nofile != null) {
            limits.put("nofile", new Rlimits.Limit(nofile.soft(), nofile.hard()));
        }
        return new Host(h.cgroups(), h.capabilities(), new Rlimits(limits), h.resources(), h.seccomp(), h.maskedPaths(),
                h.sysctlExists(), h.devDir());
    }

    public static OciSpecBuilder forHost() {
        return new OciSpecBuilder(Host.detect(CgroupLayout.detect()), "/berth");
    }

    /** moby defaultLinuxMaskedPaths: the list, plus each possible CPU's thermal_throttle directory that exists. */
    static List<String> hostMaskedPaths() {
        List<String> out = new ArrayList<>(MASKED_PATHS);
        try {
            String possible = Files.readString(Path.of("/sys/devices/system/cpu/possible")).trim();
            for (int cpu : ResourceLimits.parseList(possible)) {
                String p = "/sys/devices/system/cpu/cpu" + cpu + "/thermal_throttle";
                if (Files.exists(Path.of(p))) {
                    out.add(p);
                }
            }
        } catch (IOException | RuntimeException e) {
            // No CPU list: the fixed list is what older Docker masks too.
        }
        return List.copyOf(out);
    }

    public Result build(String id, Path rootfs, ImageConfig image, CreateOptions opts) {
        return build(id, rootfs, image, opts, ImageFiles.none());
    }

    /** The host's own name, which a container sharing its UTS namespace has. */
    public static String hostHostname() {
        try {
            return java.nio.file.Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
        } catch (java.io.IOException e) {
            return "localhost";
        }
    }

    /** @param files the container's root filesystem as it will be, for the user's /etc/passwd and /etc/group */
    public Result build(String id, Path rootfs, ImageConfig image, CreateOptions opts, ImageFiles files) {
        ImageConfig.ContainerConfig ic = image == null || image.config() == null ? emptyConfig() : image.config();
        HostSettings hs = opts.host() == null ? HostSettings.defaults() : opts.host();
        CgroupLayout cgroups = host.cgroups();
        List<String> warnings = new ArrayList<>();
        HostSettings.Namespaces shared = hs.namespaces();
        String hostname = shared.hostUts() ? hostHostname()
                : opts.hostname() == null || opts.hostname().isEmpty() ? id.substring(0, Math.min(12, id.length())) : opts.hostname();
        List<String> capSet = host.capabilities().tweak(hs.capAdd(), hs.capDrop(), hs.privileged());

        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.put("ociVersion", OCI_VERSION);

        ObjectNode process = spec.putObject("process");
        process.put("terminal", opts.tty());
        ObjectNode user = process.putObject("user");
        UserResolver.User u = UserResolver.resolve(opts.user() != null && !opts.user().isEmpty() ? opts.user() : ic.user(),
                hs.groupAdd(), files);
        user.put("uid", u.uid());
        user.put("gid", u.gid());
        ArrayNode gids = user.putArray("additionalGids");
        u.additionalGids().forEach(gids::add);
        strings(process.putArray("args"), args(ic, opts));
        strings(process.putArray("env"), env(ic, opts, hostname));
        process.put("cwd", workingDir(ic, opts));
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(caps.putArray(set), capSet);
        }
        if (hs.oomScoreAdj() != 0) {
            process.put("oomScoreAdj", hs.oomScoreAdj());
        }
        ArrayNode rlimits = process.putArray("rlimits");
        host.rlimits().apply(rlimits, hs.ulimits(), warnings);
        if (rlimits.isEmpty()) {
            process.remove("rlimits");
        }
        // Docker leaves no_new_privs off unless asked, so that setuid binaries in images keep working.
        process.put("noNewPrivileges", hs.noNewPrivileges());

        ObjectNode root = spec.putObject("root");
        root.put("path", rootfs.toString());
        root.put("readonly", opts.readOnly());
        if (!shared.hostUts()) {
            spec.put("hostname", hostname); // runc refuses a hostname without a UTS namespace of its own
        }

        ArrayNode mounts = spec.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "ro", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        if (shared.hostIpc()) {
            // moby's host IPC: the host's /dev/shm, shared like its IPC namespace
            ObjectNode shm = mounts.addObject();
            shm.put("destination", "/dev/shm");
            shm.put("type", "bind");
            shm.put("source", "/dev/shm");
            strings(shm.putArray("options"), List.of("rbind", "nosuid", "noexec", "nodev"));
        } else if (!shared.noShm()) {
            mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=" + hs.shmSize());
        }
        adjustMounts(mounts, opts.readOnly(), hs.privileged());

        Map<String, String> labels = opts.labels() == null ? Map.of() : opts.labels();
        if (!labels.isEmpty()) {
            ObjectNode ann = spec.putObject("annotations");
            labels.forEach(ann::put);
        }

        ObjectNode linux = spec.putObject("linux");
        ArrayNode devices = linux.putArray("devices");
        ObjectNode resources = linux.putObject("resources");
        ArrayNode rules = resources.putArray("devices");
        if (hs.privileged()) {
            HostDevices.addTo(devices, host.devDir());
            rules.addObject().put("allow", true).put("access", "rwm");
            // moby WithDevices: a privileged container already has every host device at its own path.
            DeviceRules.customDevices(devices, Json.MAPPER.createArrayNode(), hs.devices().stream()
                    .filter(d -> !d.pathInContainer().isEmpty() && !d.pathInContainer().equals(d.pathOnHost())).toList());
        } else {
            DeviceRules.dockerDefaults(rules);
            DeviceRules.customDevices(devices, rules, hs.devices());
            DeviceRules.cgroupRules(rules, hs.deviceCgroupRules());
        }
        host.resources().apply(resources, opts, hs, warnings);
        linux.put("cgroupsPath", cgroupParent + "/" + id);
        Map<String, String> sysctls = new java.util.LinkedHashMap<>(Sysctls.of(hs.sysctls(), hs.hostNetwork(), host.sysctlExists()));
        if (!shared.hostUts() && !shared.domainname().isEmpty()) {
            // As moby does: runc 1.1 ignores the spec's domainname field, not this sysctl of the UTS namespace.
            sysctls.put("kernel.domainname", shared.domainname());
        }
        if (!sysctls.isEmpty()) {
            ObjectNode sc = linux.putObject("sysctl");
            sysctls.forEach(sc::put);
        }
        ArrayNode ns = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount")) {
            boolean host = switch (type) {
                case "pid" -> shared.hostPid();
                case "ipc" -> shared.hostIpc();
                case "uts" -> shared.hostUts();
                default -> false;
            };
            if (!host) {
                ns.addObject().put("type", type);
            }
        }
        ObjectNode net = ns.addObject().put("type", "network");
        if (opts.netnsPath() != null) {
            net.put("path", opts.netnsPath());
        }
        // Docker gives a private cgroup namespace only on v2; on v1 and hybrid it stays the host's.
        if (cgroups.mode() == CgroupLayout.Mode.V2) {
            ns.addObject().put("type", "cgroup");
        }
        if (!hs.privileged()) {
            strings(linux.putArray("maskedPaths"), hs.maskedPaths() != null ? hs.maskedPaths() : host.maskedPaths());
            strings(linux.putArray("readonlyPaths"), hs.readonlyPaths() != null ? hs.readonlyPaths() : READONLY_PATHS);
        }
        ObjectNode seccomp = seccomp(hs, capSet);
        if (seccomp != null) {
            linux.set("seccomp", seccomp);
        }
        return new Result(spec, List.copyOf(warnings));
    }

    /** moby WithSeccomp: none when unconfined, and for --privileged unless a profile is given. */
    private ObjectNode seccomp(HostSettings hs, List<String> bounding) {
        String profile = hs.seccomp();
        if (HostSettings.UNCONFINED.equals(profile)) {
            return null;
        }
        if (profile == null || profile.equals("default")) {
            return hs.privileged() ? null : host.seccomp().defaultFor(bounding);
        }
        return host.seccomp().toOci(SeccompProfile.parse(profile), bounding);
    }

    /** moby withMounts: --read-only makes all but /proc and /dev* read-only; --privileged makes /sys and cgroups writable. */
    private static void adjustMounts(ArrayNode mounts, boolean readOnly, boolean privileged) {
        for (JsonNode m : mounts) {
            String dest = m.path("destination").asText();
            ArrayNode options = (ArrayNode) m.path("options");
            if (readOnly && !WRITABLE_WHEN_READ_ONLY.contains(dest) && !contains(options, "ro")) {
                options.add("ro");
            }
            if (privileged && (dest.equals("/sys") || m.path("type").asText().equals("cgroup"))) {
                for (int i = options.size() - 1; i >= 0; i--) {
                    if (options.get(i).asText().equals("ro")) {
                        options.remove(i);
                    }
                }
            }
        }
    }

    private static boolean contains(ArrayNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    /**
     * moby daemon/commit.go merge: an entrypoint from the options replaces the image's and drops the
     * image's Cmd; without one, an empty Cmd falls back to the image's and the image's Entrypoint stays.
     * {@code --entrypoint ""} arrives as [""] and means "no entrypoint".
     */
    static List<String> args(ImageConfig.ContainerConfig ic, CreateOptions opts) {
        List<String> entrypoint = opts.entrypoint();
        List<String> cmd = opts.cmd();
        boolean entrypointGiven = entrypoint != null && !isEmptyEntrypoint(entrypoint);
        if (!entrypointGiven) {
            if (cmd == null || cmd.isEmpty()) {
                cmd = ic.cmd();
            }
            if (entrypoint == null) {
                entrypoint = ic.entrypoint();
            }
        }
        List<String> args = new ArrayList<>();
        if (entrypoint != null && !isEmptyEntrypoint(entrypoint)) {
            args.addAll(entrypoint);
        }
        if (cmd != null) {
            args.addAll(cmd);
        }
        if (args.isEmpty()) {
            throw BerthException.invalid("no command specified");
        }
        return args;
    }

    private static boolean isEmptyEntrypoint(List<String> ep) {
        return ep.isEmpty() || (ep.size() == 1 && ep.getFirst().isEmpty());
    }

    /** moby CreateDaemonEnvironment: PATH and HOSTNAME first, TERM for a TTY, then image then user values by key. */
    static List<String> env(ImageConfig.ContainerConfig ic, CreateOptions opts, String hostname) {
        Map<String, String> byKey = new LinkedHashMap<>();
        put(byKey, "PATH=" + DEFAULT_PATH);
        put(byKey, "HOSTNAME=" + hostname);
        if (opts.tty()) {
            put(byKey, "TERM=xterm");
        }
        if (ic.env() != null) {
            ic.env().forEach(e -> put(byKey, e));
        }
        if (opts.env() != null) {
            opts.env().forEach(e -> put(byKey, e));
        }
        return new ArrayList<>(byKey.values());
    }

    private static void put(Map<String, String> byKey, String entry) {
        int eq = entry.indexOf('=');
        byKey.put(eq < 0 ? entry : entry.substring(0, eq), entry);
    }

    private static String workingDir(ImageConfig.ContainerConfig ic, CreateOptions opts) {
        String wd = opts.workingDir() != null && !opts.workingDir().isEmpty() ? opts.workingDir() : ic.workingDir();
        if (wd == null || wd.isEmpty()) {
            return "/";
        }
        if (!wd.startsWith("/")) {
            throw BerthException.invalid("the working directory '" + wd + "' is invalid, it needs to be an absolute path");
        }
        return wd;
    }

    /** Reads one limit of this process, as {@code /proc/self/limits} shows it. */
    public static Rlimit currentRlimit(String label, String type) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/limits"))) {
                if (line.startsWith(label)) {
                    String[] f = line.substring(label.length()).trim().split("\\s+");
                    return new Rlimit(type, limit(f[0]), limit(f[1]));
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long limit(String s) {
        return s.equals("unlimited") ? -1 : Long.parseLong(s);
    }

    private static void mount(ArrayNode mounts, String dest, String type, String source, String... options) {
        ObjectNode m = mounts.addObject();
        m.put("destination", dest);
        m.put("type", type);
        m.put("source", source);
        strings(m.putArray("options"), List.of(options));
    }

    private static void strings(ArrayNode array, List<String> values) {
        values.forEach(array::add);
    }

    private static ImageConfig.ContainerConfig emptyConfig() {
        return new ImageConfig.ContainerConfig(null, null, null, null, null, null, null, null, null, null, null, null, null);
    }

    /** The checks and spec shape of create's resource limits, which {@code docker update} reuses. */
    public ResourceLimits resourceLimits() {
        return host.resources();
    }
}
