package dev.berth.engine.client.run;

import java.util.ArrayList;
import java.util.List;

/**
 * The options {@code run} and {@code create} share, as typed (docker's {@code containerOptions}), by
 * their long flag names: the CLI fills them from its flags, the desktop's run dialog from its fields.
 * {@link ContainerConfigBuilder} turns them into a create request; nothing is validated here.
 */
public final class ContainerOptions {
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
    public String healthCmd;
    public String healthInterval;
    public String healthTimeout;
    public String healthStartPeriod;
    public String healthRetries;
    public boolean noHealthcheck;
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
            case "health-cmd" -> healthCmd = value;
            case "health-interval" -> healthInterval = value;
            case "health-timeout" -> healthTimeout = value;
            case "health-start-period" -> healthStartPeriod = value;
            case "health-retries" -> healthRetries = value;
            case "no-healthcheck" -> noHealthcheck = on;
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
