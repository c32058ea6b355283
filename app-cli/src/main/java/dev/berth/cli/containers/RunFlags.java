package dev.berth.cli.containers;

import dev.berth.cli.Opt;

import java.util.List;

/**
 * The flags {@code berth run} and {@code berth create} take; each long name is one that
 * {@link dev.berth.engine.client.run.ContainerOptions#flag} takes.
 */
public final class RunFlags {
    public static final List<Opt> OPTIONS = List.of(
            Opt.value("add-host", "list", "Add a custom host-to-IP mapping (host:ip)"),
            Opt.value('a', "attach", "list", "Attach to STDIN, STDOUT or STDERR"),
            Opt.value("cap-add", "list", "Add Linux capabilities"),
            Opt.value("cap-drop", "list", "Drop Linux capabilities"),
            Opt.value("cpus", "decimal", "Number of CPUs"),
            Opt.value("dns", "list", "Set custom DNS servers"),
            Opt.value("entrypoint", "string", "Overwrite the default ENTRYPOINT of the image"),
            Opt.value('e', "env", "list", "Set environment variables"),
            Opt.value("env-file", "list", "Read in a file of environment variables"),
            Opt.value("expose", "list", "Expose a port or a range of ports"),
            Opt.value("health-cmd", "string", "Command to run to check health"),
            Opt.value("health-interval", "duration", "Time between running the check (ms|s|m|h) (default 0s)"),
            Opt.value("health-retries", "int", "Consecutive failures needed to report unhealthy"),
            Opt.value("health-start-period", "duration",
                    "Start period for the container to initialize before starting health-retries countdown (ms|s|m|h) (default 0s)"),
            Opt.value("health-timeout", "duration", "Maximum time to allow one check to run (ms|s|m|h) (default 0s)"),
            Opt.value('h', "hostname", "string", "Container host name"),
            Opt.bool("init", "Run an init inside the container that forwards signals and reaps processes"),
            Opt.bool('i', "interactive", "Keep STDIN open even if not attached"),
            Opt.value('l', "label", "list", "Set meta data on a container"),
            Opt.value('m', "memory", "bytes", "Memory limit"),
            Opt.value("mount", "mount", "Attach a filesystem mount to the container"),
            Opt.value("name", "string", "Assign a name to the container"),
            Opt.value("network", "network", "Connect a container to a network"),
            Opt.value("network-alias", "list", "Add network-scoped alias for the container"),
            Opt.bool("no-healthcheck", "Disable any container-specified HEALTHCHECK"),
            Opt.value("pids-limit", "int", "Tune container pids limit (set -1 for unlimited)"),
            Opt.value("platform", "string", "Set platform if server is multi-platform capable"),
            Opt.bool("privileged", "Give extended privileges to this container"),
            Opt.value('p', "publish", "list", "Publish a container's port(s) to the host"),
            Opt.bool('P', "publish-all", "Publish all exposed ports to random ports"),
            Opt.value("pull", "string", "Pull image before running (\"always\", \"missing\", \"never\")"),
            Opt.bool('q', "quiet", "Suppress the pull output"),
            Opt.bool("read-only", "Mount the container's root filesystem as read only"),
            Opt.value("restart", "string", "Restart policy to apply when a container exits"),
            Opt.bool("rm", "Automatically remove the container and its associated anonymous volumes when it exits"),
            Opt.value("stop-signal", "string", "Signal to stop the container"),
            Opt.value("stop-timeout", "int", "Timeout (in seconds) to stop a container"),
            Opt.value("tmpfs", "list", "Mount a tmpfs directory"),
            Opt.bool('t', "tty", "Allocate a pseudo-TTY"),
            Opt.value('u', "user", "string", "Username or UID (format: <name|uid>[:<group|gid>])"),
            Opt.value('v', "volume", "list", "Bind mount a volume"),
            Opt.value('w', "workdir", "string", "Working directory inside the container"));

    /** Only for {@code run}. */
    public static final List<Opt> RUN_ONLY = List.of(
            Opt.bool('d', "detach", "Run container in background and print container ID"),
            Opt.value("detach-keys", "string", "Override the key sequence for detaching a container"),
            Opt.bool("sig-proxy", "Proxy received signals to the process (default true)"));

    private RunFlags() {
    }
}
