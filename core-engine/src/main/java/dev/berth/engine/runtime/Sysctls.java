package dev.berth.engine.runtime;

import dev.berth.errors.BerthException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * {@code linux.sysctl}: Docker's two defaults for a private network namespace, then the caller's
 * {@code --sysctl} values, which may only name namespaced sysctls. The rules and messages are runc's
 * (libcontainer/configs/validate), checked at create so the mistake is a 400 rather than a failed start.
 */
public final class Sysctls {
    /** The IPC namespace's sysctls (runc's validSysctlMap); fs.mqueue.* are namespaced too. */
    private static final Set<String> IPC = Set.of("kernel.msgmax", "kernel.msgmnb", "kernel.msgmni", "kernel.sem",
            "kernel.shmall", "kernel.shmmax", "kernel.shmmni", "kernel.shm_rmid_forced");

    private Sysctls() {
    }

    /**
     * @param hostNetwork the container shares the host's network namespace
     * @param exists      whether a sysctl exists on this kernel (Docker only adds its defaults where they do)
     */
    public static Map<String, String> of(Map<String, String> requested, boolean hostNetwork, java.util.function.Predicate<String> exists) {
        Map<String, String> out = new LinkedHashMap<>();
        if (!hostNetwork) {
            // moby withCommonOptions: ping without CAP_NET_RAW, and ports below 1024 without CAP_NET_BIND_SERVICE.
            if (exists.test("net.ipv4.ping_group_range")) {
                out.put("net.ipv4.ping_group_range", "0 2147483647");
            }
            if (exists.test("net.ipv4.ip_unprivileged_port_start")) {
                out.put("net.ipv4.ip_unprivileged_port_start", "0");
            }
        }
        for (var e : requested.entrySet()) {
            validate(e.getKey(), hostNetwork);
            out.put(e.getKey(), e.getValue());
        }
        return out;
    }

    public static boolean existsOnHost(String name) {
        return Files.exists(Path.of("/proc/sys", name.replace('.', '/')));
    }

    static void validate(String name, boolean hostNetwork) {
        if (IPC.contains(name) || name.startsWith("fs.mqueue.")) {
            return;
        }
        if (name.startsWith("net.")) {
            if (hostNetwork) {
                throw BerthException.invalid("sysctl \"" + name + "\" not allowed in host network namespace");
            }
            return;
        }
        if (name.equals("kernel.domainname")) {
            return;
        }
        if (name.equals("kernel.hostname")) {
            throw BerthException.invalid("sysctl \"kernel.hostname\" is not allowed as it conflicts with the OCI \"hostname\" field");
        }
        throw BerthException.invalid("sysctl \"" + name + "\" is not in a separate kernel namespace");
    }
}
