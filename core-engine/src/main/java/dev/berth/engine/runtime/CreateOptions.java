package dev.berth.engine.runtime;

import java.util.List;
import java.util.Map;

/**
 * What {@code docker create} asks for beyond the image, in the shape the spec builder needs. A null
 * list means "not given" (the image's value applies); an empty list is an explicit override, which
 * is how Docker tells {@code --entrypoint ""} from no flag at all.
 *
 * @param user        Docker's --user ("name", "uid", "uid:gid", "name:group"); null or empty uses the image's User
 * @param memoryBytes 0 for no limit
 * @param cpus        0 for no limit; fractional as {@code --cpus 1.5}
 * @param pidsLimit   0 for no limit
 * @param netnsPath   a network namespace to join (made by CNI), or null for a fresh one
 * @param host        isolation and resource settings from HostConfig beyond the ones above
 */
public record CreateOptions(
        List<String> cmd,
        List<String> entrypoint,
        List<String> env,
        String workingDir,
        String user,
        boolean tty,
        String hostname,
        boolean readOnly,
        long memoryBytes,
        double cpus,
        long pidsLimit,
        Map<String, String> labels,
        String netnsPath,
        HostSettings host) {

    public CreateOptions(List<String> cmd, List<String> entrypoint, List<String> env, String workingDir, String user,
                         boolean tty, String hostname, boolean readOnly, long memoryBytes, double cpus, long pidsLimit,
                         Map<String, String> labels, String netnsPath) {
        this(cmd, entrypoint, env, workingDir, user, tty, hostname, readOnly, memoryBytes, cpus, pidsLimit, labels,
                netnsPath, HostSettings.defaults());
    }

    public static CreateOptions defaults() {
        return new CreateOptions(null, null, List.of(), null, null, false, null, false, 0, 0, 0, Map.of(), null);
    }

    public CreateOptions withCmd(String... cmd) {
        return new CreateOptions(List.of(cmd), entrypoint, env, workingDir, user, tty, hostname, readOnly, memoryBytes, cpus, pidsLimit, labels, netnsPath, host);
    }

    public CreateOptions withEntrypoint(String... ep) {
        return new CreateOptions(cmd, List.of(ep), env, workingDir, user, tty, hostname, readOnly, memoryBytes, cpus, pidsLimit, labels, netnsPath, host);
    }

    public CreateOptions withEnv(String... e) {
        return new CreateOptions(cmd, entrypoint, List.of(e), workingDir, user, tty, hostname, readOnly, memoryBytes, cpus, pidsLimit, labels, netnsPath, host);
    }

    public CreateOptions withWorkingDir(String dir) {
        return new CreateOptions(cmd, entrypoint, env, dir, user, tty, hostname, readOnly, memoryBytes, cpus, pidsLimit, labels, netnsPath, host);
    }

    public CreateOptions withUser(String u) {
        return new CreateOptions(cmd, entrypoint, env, workingDir, u, tty, hostname, readOnly, memoryBytes, cpus, pidsLimit, labels, netnsPath, host);
    }

    public CreateOptions withTty(boolean t) {
        return new CreateOptions(cmd, entrypoint, env, workingDir, user, t, hostname, readOnly, memoryBytes, cpus, pidsLimit, labels, netnsPath, host);
    }

    public CreateOptions withHostname(String h) {
        return new CreateOptions(cmd, entrypoint, env, workingDir, user, tty, h, readOnly, memoryBytes, cpus, pidsLimit, labels, netnsPath, host);
    }

    public CreateOptions withReadOnly(boolean ro) {
        return new CreateOptions(cmd, entrypoint, env, workingDir, user, tty, hostname, ro, memoryBytes, cpus, pidsLimit, labels, netnsPath, host);
    }

    public CreateOptions withResources(long memory, double cpus, long pids) {
        return new CreateOptions(cmd, entrypoint, env, workingDir, user, tty, hostname, readOnly, memory, cpus, pids, labels, netnsPath, host);
    }

    public CreateOptions withLabels(Map<String, String> l) {
        return new CreateOptions(cmd, entrypoint, env, workingDir, user, tty, hostname, readOnly, memoryBytes, cpus, pidsLimit, l, netnsPath, host);
    }

    public CreateOptions withNetns(String path) {
        return new CreateOptions(cmd, entrypoint, env, workingDir, user, tty, hostname, readOnly, memoryBytes, cpus, pidsLimit, labels, path, host);
    }

    public CreateOptions withHost(HostSettings h) {
        return new CreateOptions(cmd, entrypoint, env, workingDir, user, tty, hostname, readOnly, memoryBytes, cpus, pidsLimit, labels, netnsPath, h);
    }
}
