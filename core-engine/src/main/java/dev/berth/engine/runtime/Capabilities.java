package dev.berth.engine.runtime;

import dev.berth.errors.BerthException;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Docker's capability rules (moby daemon/pkg/oci/caps): the default set of 14, {@code --cap-add} and
 * {@code --cap-drop} with "ALL" and names with or without the CAP_ prefix, and {@code --privileged}.
 * "All" means what this daemon itself holds, as moby reads it from the current environment: a host
 * that took CAP_SYS_RESOURCE from the daemon cannot hand it to a container, and asking runc for it
 * would fail the whole start.
 */
public final class Capabilities {
    /** moby caps.DefaultCapabilities, in its order. */
    public static final List<String> DEFAULT = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE",
            "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE");

    /** Every capability by number (linux/capability.h), as containerd's cap.Known lists them. */
    public static final List<String> KNOWN = List.of(
            "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_DAC_READ_SEARCH", "CAP_FOWNER", "CAP_FSETID", "CAP_KILL",
            "CAP_SETGID", "CAP_SETUID", "CAP_SETPCAP", "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE",
            "CAP_NET_BROADCAST", "CAP_NET_ADMIN", "CAP_NET_RAW", "CAP_IPC_LOCK", "CAP_IPC_OWNER",
            "CAP_SYS_MODULE", "CAP_SYS_RAWIO", "CAP_SYS_CHROOT", "CAP_SYS_PTRACE", "CAP_SYS_PACCT",
            "CAP_SYS_ADMIN", "CAP_SYS_BOOT", "CAP_SYS_NICE", "CAP_SYS_RESOURCE", "CAP_SYS_TIME",
            "CAP_SYS_TTY_CONFIG", "CAP_MKNOD", "CAP_LEASE", "CAP_AUDIT_WRITE", "CAP_AUDIT_CONTROL",
            "CAP_SETFCAP", "CAP_MAC_OVERRIDE", "CAP_MAC_ADMIN", "CAP_SYSLOG", "CAP_WAKE_ALARM",
            "CAP_BLOCK_SUSPEND", "CAP_AUDIT_READ", "CAP_PERFMON", "CAP_BPF", "CAP_CHECKPOINT_RESTORE");

    private static final String ALL = "ALL";

    private final List<String> available;

    /** @param available the capabilities this daemon can grant, in {@link #KNOWN} order */
    public Capabilities(List<String> available) {
        this.available = List.copyOf(available);
    }

    /** The daemon's effective set, from /proc/self/status (containerd's cap.Current). */
    public static Capabilities ofThisProcess() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("CapEff:")) {
                    return new Capabilities(fromMask(Long.parseUnsignedLong(line.substring(7).trim(), 16)));
                }
            }
        } catch (IOException | NumberFormatException e) {
            // Fall through: moby then assumes every known capability is there and lets runc decide.
        }
        return new Capabilities(KNOWN);
    }

    static List<String> fromMask(long mask) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < KNOWN.size(); i++) {
            if ((mask & (1L << i)) != 0) {
                out.add(KNOWN.get(i));
            }
        }
        return out;
    }

    public List<String> all() {
        return available;
    }

    /**
     * moby NormalizeLegacyCapabilities: upper-cased, CAP_ prefixed, "ALL" kept; an unknown name or one
     * this host cannot grant is a 400 with Docker's wording.
     *
     * @param field "CapAdd" or "CapDrop", which Docker names in the message
     */
    public List<String> normalize(List<String> caps, String field) {
        List<String> out = new ArrayList<>();
        if (caps == null) {
            return out;
        }
        for (String c : caps) {
            String u = c.toUpperCase(Locale.ROOT);
            if (u.equals(ALL)) {
                out.add(u);
                continue;
            }
            if (!u.startsWith("CAP_")) {
                u = "CAP_" + u;
            }
            if (!KNOWN.contains(u)) {
                throw BerthException.invalid("invalid " + field + ": unknown capability: \"" + u + "\"");
            }
            if (!available.contains(u)) {
                throw BerthException.invalid("invalid " + field
                        + ": capability not supported by your kernel or not available in the current environment: \"" + u + "\"");
            }
            out.add(u);
        }
        return out;
    }

    /** moby TweakCapabilities: the set the container's bounding, effective and permitted sets get. */
    public List<String> tweak(List<String> add, List<String> drop, boolean privileged) {
        if (privileged) {
            return available;
        }
        List<String> adds = normalize(add, "CapAdd");
        List<String> drops = normalize(drop, "CapDrop");
        if (adds.isEmpty() && drops.isEmpty()) {
            return DEFAULT;
        }
        List<String> caps = new ArrayList<>();
        if (adds.contains(ALL)) {
            for (String c : available) {
                if (!drops.contains(c)) {
                    caps.add(c);
                }
            }
        } else if (drops.contains(ALL)) {
            caps.addAll(adds);
        } else {
            for (String c : DEFAULT) {
                if (!drops.contains(c)) {
                    caps.add(c);
                }
            }
            for (String c : adds) {
                if (!caps.contains(c)) {
                    caps.add(c);
                }
            }
        }
        return caps;
    }
}
