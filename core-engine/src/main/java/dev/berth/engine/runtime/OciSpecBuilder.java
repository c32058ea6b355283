package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import dev.berth.images.manifest.ImageConfig;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    public static final long MIN_MEMORY = 6L * 1024 * 1024;
    static final long CPU_PERIOD = 100_000;

    public static final List<String> DEFAULT_CAPABILITIES = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** moby oci/defaults.go: kernel interfaces that leak host information or allow host changes. */
    public static final List<String> MASKED_PATHS = List.of(
            "/proc/asound", "/proc/acpi", "/proc/interrupts", "/proc/kcore", "/proc/keys",
            "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats", "/proc/sched_debug",
            "/proc/scsi", "/sys/firmware", "/sys/devices/virtual/powercap");

    public static final List<String> READONLY_PATHS = List.of(
            "/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger");

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

    private final CgroupLayout cgroups;
    private final Rlimit nofile;
    private final String cgroupParent;

    /**
     * @param nofile       the daemon's own RLIMIT_NOFILE, given to containers as is
     * @param cgroupParent cgroupfs path under which each container gets {@code <parent>/<id>}
     */
    public OciSpecBuilder(CgroupLayout cgroups, Rlimit nofile, String cgroupParent) {
        this.cgroups = cgroups;
        this.nofile = nofile;
        this.cgroupParent = cgroupParent;
    }

    public static OciSpecBuilder forHost() {
        return new OciSpecBuilder(CgroupLayout.detect(), currentRlimit("Max open files", "RLIMIT_NOFILE"), "/berth");
    }

    public Result build(String id, Path rootfs, ImageConfig image, CreateOptions opts) {
        ImageConfig.ContainerConfig ic = image == null || image.config() == null ? emptyConfig() : image.config();
        List<String> warnings = new ArrayList<>();
        String hostname = opts.hostname() == null || opts.hostname().isEmpty() ? id.substring(0, Math.min(12, id.length())) : opts.hostname();

        ObjectNode spec = Json.MAPPER.createObjectNode();
        spec.put("ociVersion", OCI_VERSION);

        ObjectNode process = spec.putObject("process");
        process.put("terminal", opts.tty());
        ObjectNode user = process.putObject("user");
        int[] ids = parseUser(opts.user() != null && !opts.user().isEmpty() ? opts.user() : ic.user());
        user.put("uid", ids[0]);
        user.put("gid", ids[1]);
        strings(process.putArray("args"), args(ic, opts));
        strings(process.putArray("env"), env(ic, opts, hostname));
        process.put("cwd", workingDir(ic, opts));
        ObjectNode caps = process.putObject("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            strings(caps.putArray(set), DEFAULT_CAPABILITIES);
        }
        if (nofile != null) {
            ObjectNode r = process.putArray("rlimits").addObject();
            r.put("type", nofile.type());
            r.put("hard", unsigned(nofile.hard()));
            r.put("soft", unsigned(nofile.soft()));
        }
        // Docker leaves no_new_privs off so that setuid binaries in images keep working.
        process.put("noNewPrivileges", false);

        ObjectNode root = spec.putObject("root");
        root.put("path", rootfs.toString());
        root.put("readonly", opts.readOnly());
        spec.put("hostname", hostname);

        ArrayNode mounts = spec.putArray("mounts");
        mount(mounts, "/proc", "proc", "proc", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev", "tmpfs", "tmpfs", "nosuid", "strictatime", "mode=755", "size=65536k");
        mount(mounts, "/dev/pts", "devpts", "devpts", "nosuid", "noexec", "newinstance", "ptmxmode=0666", "mode=0620", "gid=5");
        mount(mounts, "/sys", "sysfs", "sysfs", "nosuid", "noexec", "nodev", "ro");
        mount(mounts, "/sys/fs/cgroup", "cgroup", "cgroup", "ro", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev/mqueue", "mqueue", "mqueue", "nosuid", "noexec", "nodev");
        mount(mounts, "/dev/shm", "tmpfs", "shm", "nosuid", "noexec", "nodev", "mode=1777", "size=67108864");

        Map<String, String> labels = opts.labels() == null ? Map.of() : opts.labels();
        if (!labels.isEmpty()) {
            ObjectNode ann = spec.putObject("annotations");
            labels.forEach(ann::put);
        }

        ObjectNode linux = spec.putObject("linux");
        ObjectNode resources = linux.putObject("resources");
        ObjectNode denyAll = resources.putArray("devices").addObject();
        // Deny everything; runc then allows its default devices (null, zero, tty, ptmx...).
        denyAll.put("allow", false);
        denyAll.put("access", "rwm");
        resources(resources, opts, warnings);
        linux.put("cgroupsPath", cgroupParent + "/" + id);
        ArrayNode ns = linux.putArray("namespaces");
        for (String type : List.of("pid", "ipc", "uts", "mount")) {
            ns.addObject().put("type", type);
        }
        ObjectNode net = ns.addObject().put("type", "network");
        if (opts.netnsPath() != null) {
            net.put("path", opts.netnsPath());
        }
        // Docker gives a private cgroup namespace only on v2; on v1 and hybrid it stays the host's.
        if (cgroups.mode() == CgroupLayout.Mode.V2) {
            ns.addObject().put("type", "cgroup");
        }
        strings(linux.putArray("maskedPaths"), MASKED_PATHS);
        strings(linux.putArray("readonlyPaths"), READONLY_PATHS);
        return new Result(spec, List.copyOf(warnings));
    }

    private void resources(ObjectNode resources, CreateOptions opts, List<String> warnings) {
        if (opts.memoryBytes() < 0 || opts.cpus() < 0 || opts.pidsLimit() < 0) {
            throw BerthException.invalid("resource limits must not be negative");
        }
        if (opts.memoryBytes() > 0) {
            if (opts.memoryBytes() < MIN_MEMORY) {
                throw BerthException.invalid("Minimum memory limit allowed is 6MB");
            }
            if (cgroups.has("memory")) {
                resources.putObject("memory").put("limit", opts.memoryBytes());
            } else {
                warnings.add("Your kernel does not support memory limit capabilities or the cgroup is not mounted. Limitation discarded.");
            }
        }
        if (opts.cpus() > 0) {
            int online = Runtime.getRuntime().availableProcessors();
            if (opts.cpus() > online) {
                throw BerthException.invalid("range of CPUs is from 0.01 to " + online + ".00, as there are only "
                        + online + " CPUs available");
            }
            if (cgroups.has("cpu")) {
                ObjectNode cpu = resources.putObject("cpu");
                cpu.put("quota", Math.round(opts.cpus() * CPU_PERIOD));
                cpu.put("period", CPU_PERIOD);
            } else {
                warnings.add("Your kernel does not support CPU CFS scheduler. CPU limitation discarded.");
            }
        }
        if (opts.pidsLimit() > 0) {
            if (cgroups.has("pids")) {
                resources.putObject("pids").put("limit", opts.pidsLimit());
            } else {
                warnings.add("Your kernel does not support pids limit capabilities or the cgroup is not mounted. PIDs limit discarded.");
            }
        }
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

    /** Numeric "uid[:gid]"; names need the image's /etc/passwd, which the containers work adds. */
    static int[] parseUser(String spec) {
        if (spec == null || spec.isEmpty()) {
            return new int[] {0, 0};
        }
        String[] parts = spec.split(":", 2);
        try {
            int uid = Integer.parseInt(parts[0]);
            int gid = parts.length > 1 ? Integer.parseInt(parts[1]) : 0;
            if (uid < 0 || gid < 0) {
                throw new NumberFormatException();
            }
            return new int[] {uid, gid};
        } catch (NumberFormatException e) {
            throw BerthException.invalid("unable to find user " + spec + ": only numeric uid[:gid] is supported yet");
        }
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

    private static BigInteger unsigned(long v) {
        return v == -1 ? BigInteger.ONE.shiftLeft(64).subtract(BigInteger.ONE) : BigInteger.valueOf(v);
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
}
