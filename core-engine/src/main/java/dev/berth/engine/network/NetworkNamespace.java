package dev.berth.engine.network;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A named, persistent network namespace: a bind mount of an nsfs inode at {@code /run/netns/NAME},
 * so it outlives every process in it and the daemon itself, and CNI plugins and {@code ip netns exec}
 * can enter it by path.
 *
 * <p>Created with {@code ip netns add} rather than unshare(2) + mount(2) through FFM: in a JVM,
 * unshare(CLONE_NEWNET) moves only the calling OS thread, which the JVM may reuse for anything, and
 * iproute2 also gets the subtle part right (making {@code /run/netns} a shared mount point so the
 * namespace stays visible to other mount namespaces such as runc's). iproute2 is already a hard
 * dependency of the CNI bridge setup, so this adds nothing to install.
 */
public final class NetworkNamespace {
    /** Where iproute2 keeps named namespaces; {@code ip netns exec} and runc both find them here. */
    public static final Path NETNS_DIR = Path.of("/run/netns");

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,63}");
    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final String name;

    private NetworkNamespace(String name) {
        this.name = name;
    }

    /** A handle on {@code name}, whether or not it exists yet; the name is validated, never trusted. */
    public static NetworkNamespace named(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw BerthException.invalid("invalid network namespace name: " + name);
        }
        return new NetworkNamespace(name);
    }

    /** Creates the namespace; a name already taken is a conflict, not silently reused. */
    public static NetworkNamespace create(String name) {
        NetworkNamespace ns = named(name);
        if (ns.exists()) {
            throw BerthException.conflict("network namespace " + name + " already exists");
        }
        ip("netns", "add", name);
        return ns;
    }

    public String name() {
        return name;
    }

    /** The path CNI_NETNS and the OCI config's network namespace point at. */
    public Path path() {
        return NETNS_DIR.resolve(name);
    }

    public boolean exists() {
        return Files.exists(path());
    }

    /** Removes the namespace. Idempotent: deleting one that is already gone succeeds. */
    public void delete() {
        if (!exists()) {
            return;
        }
        ip("netns", "delete", name);
    }

    private static void ip(String... args) {
        List<String> cmd = new java.util.ArrayList<>();
        cmd.add("ip");
        cmd.addAll(List.of(args));
        ProcessRunner.Output out = ProcessRunner.run(cmd, null, null, TIMEOUT);
        if (out.exitCode() != 0) {
            throw new BerthException(ErrorCategory.SYSTEM,
                    String.join(" ", cmd) + " failed: " + out.stderr().strip());
        }
    }

    @Override
    public String toString() {
        return "netns " + name;
    }
}
