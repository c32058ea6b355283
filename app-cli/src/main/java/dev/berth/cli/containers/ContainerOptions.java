package dev.berth.cli.containers;

import dev.berth.cli.Opt;

import java.util.ArrayList;
import java.util.List;

/**
 * The flags {@code berth run} and {@code berth create} share, as typed (docker's {@code containerOptions}).
 * {@link ContainerConfigBuilder} turns them into a create request; nothing is validated here.
 */
public final class ContainerOptions {
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
            Opt.value('h', "hostname", "string", "Container host name"),
            Opt.bool("init", "Run an init inside the container that forwards signals and reaps processes"),
            Opt.bool('i', "interactive", "Keep STDIN open even if not attached"),
            Opt.value('l', "label", "list", "Set meta data on a container"),
            Opt.value('m', "memory", "bytes", "Memory limit"),
            Opt.value("mount", "mount", "Attach a filesystem mount to the container"),
            Opt.value("name", "string", "Assign a name to the container"),
            Opt.value("network", "network", "Connect a container to a network"),
            Opt.value("network-alias", "list", "Add network-scoped alias for the container"),
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

    public final List<String> addHosts = new ArrayList<>();
    public final List<String> attach = new ArrayList<>();
    public final List<String> capAdd = new ArrayList<>();
    public final List<String> capDrop = new ArrayList<>();
    public String cpus;
    public final List<String> dns = new ArrayList<>();
    /** null when not given; "" when given empty ({@code --entrypoint=}), which resets the image's. */
    public String entrypoint;
    public final List<String> env = new ArrayList<>();
    public final List<String> envFiles = new ArrayList<>();
    public final List<String> expose = new ArrayList<>();
    public String hostname;
    public boolean init;
    public boolean interactive;
    public final List<String> labels = new ArrayList<>();
    public String memory;
    public final List<String> mounts = new ArrayList<>();
    public String name;
    public String network;
    public final List<String> networkAliases = new ArrayList<>();
    public String pidsLimit;
    public String platform;
    public boolean privileged;
    public final List<String> publish = new ArrayList<>();
    public boolean publishAll;
    public String pull = "missing";
    public boolean quiet;
    public boolean readOnly;
    public String restart;
    public boolean rm;
    public String stopSignal;
    public String stopTimeout;
    public final List<String> tmpfs = new ArrayList<>();
    public boolean tty;
    public String user;
    public final List<String> volumes = new ArrayList<>();
    public String workdir;
    public boolean detach;
    public String detachKeys;
    public boolean sigProxy = true;

    /** The image, then the command and its arguments. */
    public final List<String> args = new ArrayList<>();

    /** Takes one flag; false if it is not one of these. */
    public boolean flag(String name, String value) {
        boolean on = Boolean.parseBoolean(value);
        switch (name) {
            case "add-host" -> addHosts.add(value);
            case "attach" -> attach.add(value);
            case "cap-add" -> capAdd.add(value);
            case "cap-drop" -> capDrop.add(value);
            case "cpus" -> cpus = value;
            case "dns" -> dns.add(value);
            case "entrypoint" -> entrypoint = value;
            case "env" -> env.add(value);
            case "env-file" -> envFiles.add(value);
            case "expose" -> expose.add(value);
            case "hostname" -> hostname = value;
            case "init" -> init = on;
            case "interactive" -> interactive = on;
            case "label" -> labels.add(value);
            case "memory" -> memory = value;
            case "mount" -> mounts.add(value);
            case "name" -> this.name = value;
            case "network" -> network = value;
            case "network-alias" -> networkAliases.add(value);
            case "pids-limit" -> pidsLimit = value;
            case "platform" -> platform = value;
            case "privileged" -> privileged = on;
            case "publish" -> publish.add(value);
            case "publish-all" -> publishAll = on;
            case "pull" -> pull = value;
            case "quiet" -> quiet = on;
            case "read-only" -> readOnly = on;
            case "restart" -> restart = value;
            case "rm" -> rm = on;
            case "stop-signal" -> stopSignal = value;
            case "stop-timeout" -> stopTimeout = value;
            case "tmpfs" -> tmpfs.add(value);
            case "tty" -> tty = on;
            case "user" -> user = value;
            case "volume" -> volumes.add(value);
            case "workdir" -> workdir = value;
            case "detach" -> detach = on;
            case "detach-keys" -> detachKeys = value;
            case "sig-proxy" -> sigProxy = on;
            default -> {
                return false;
            }
        }
        return true;
    }
}
