package dev.berth.engine.network;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Runs CNI plugins the way the CNI 1.0 spec's runtime does: one process per plugin, parameters in
 * CNI_* environment variables, the derived plugin configuration on stdin, a result or an error
 * object on stdout. Stateless: the caller keeps the ADD result and hands it back for CHECK and DEL.
 */
public final class CniPlugins {
    /** Debian's containernetworking-plugins, then the upstream tarball's conventional location. */
    public static final List<Path> DEFAULT_DIRS = List.of(Path.of("/usr/lib/cni"), Path.of("/opt/cni/bin"));
    /**
     * Generous for one plugin (bridge creation plus an iptables-nft transaction take well under a
     * second) but short enough that a plugin stuck on a lock fails a container start instead of
     * hanging it.
     */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    /** The container-side parameters every invocation carries (CNI_CONTAINERID, CNI_NETNS, CNI_IFNAME). */
    public record Invocation(String containerId, Path netns, String ifname) {
        public Invocation {
            if (containerId == null || !containerId.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
                // The spec restricts it to this alphabet; plugins embed it in file and chain names.
                throw BerthException.invalid("invalid CNI container id: " + containerId);
            }
            if (ifname == null || ifname.isEmpty() || ifname.length() > 15 || ifname.contains("/")) {
                throw BerthException.invalid("invalid interface name: " + ifname);
            }
        }
    }

    private final List<Path> pluginDirs;
    private final Duration timeout;

    public CniPlugins(List<Path> pluginDirs, Duration timeout) {
        if (pluginDirs.isEmpty()) {
            throw BerthException.invalid("no CNI plugin directories");
        }
        this.pluginDirs = List.copyOf(pluginDirs);
        this.timeout = timeout;
    }

    public static CniPlugins system() {
        return new CniPlugins(DEFAULT_DIRS, DEFAULT_TIMEOUT);
    }

    public List<Path> pluginDirs() {
        return pluginDirs;
    }

    /** The plugin binary for {@code type}, searched in CNI_PATH order. */
    public Path find(String type) {
        if (!type.matches("[A-Za-z0-9][A-Za-z0-9_.-]*")) {
            throw BerthException.invalid("invalid CNI plugin type: " + type);
        }
        for (Path dir : pluginDirs) {
            Path p = dir.resolve(type);
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return p;
            }
        }
        throw new BerthException(ErrorCategory.SYSTEM, "CNI plugin " + type + " not found in " + cniPath()
                + " (install containernetworking-plugins)");
    }

    /**
     * ADD through the whole chain, each plugin getting the previous one's result as prevResult; the
     * last result is the network's result. On failure nothing is rolled back here: the caller decides
     * (BridgeNetwork runs a full DEL, which every plugin must tolerate on half-made state).
     */
    public CniResult add(CniConfig config, Invocation inv, Map<String, ?> capabilityArgs) {
        JsonNode prev = null;
        for (int i = 0; i < config.size(); i++) {
            JsonNode out = exec(config.pluginType(i), "ADD", inv, config.pluginInput(i, capabilityArgs, prev));
            if (out == null) {
                throw new BerthException(ErrorCategory.SYSTEM,
                        "CNI plugin " + config.pluginType(i) + " ADD returned no result");
            }
            prev = out;
        }
        return CniResult.parse(prev);
    }

    /** CHECK through the chain; every plugin sees the cached ADD result, as the spec requires. */
    public void check(CniConfig config, Invocation inv, Map<String, ?> capabilityArgs, CniResult addResult) {
        for (int i = 0; i < config.size(); i++) {
            exec(config.pluginType(i), "CHECK", inv, config.pluginInput(i, capabilityArgs, addResult.raw()));
        }
    }

    /**
     * DEL in reverse order. Unlike libcni, which stops at the first failure, every plugin is called
     * and the first error is thrown afterwards: a teardown that stops halfway leaves a lease or a DNAT
     * rule behind for good, and a later DEL would be needed anyway.
     *
     * @param addResult the cached ADD result, passed as prevResult; null when it was lost
     */
    public void del(CniConfig config, Invocation inv, Map<String, ?> capabilityArgs, CniResult addResult) {
        BerthException first = null;
        for (int i = config.size() - 1; i >= 0; i--) {
            try {
                exec(config.pluginType(i), "DEL", inv,
                        config.pluginInput(i, capabilityArgs, addResult == null ? null : addResult.raw()));
            } catch (BerthException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /** One plugin call; returns its stdout JSON (null when it wrote nothing, as DEL does). */
    JsonNode exec(String type, String command, Invocation inv, ObjectNode stdin) {
        Path plugin = find(type);
        Map<String, String> env = new HashMap<>();
        env.put("CNI_COMMAND", command);
        env.put("CNI_CONTAINERID", inv.containerId());
        env.put("CNI_NETNS", inv.netns() == null ? "" : inv.netns().toString());
        env.put("CNI_IFNAME", inv.ifname());
        env.put("CNI_PATH", cniPath());
        ProcessRunner.Output out = ProcessRunner.run(List.of(plugin.toString()), env,
                stdin.toString().getBytes(StandardCharsets.UTF_8), timeout);
        JsonNode json = parse(out.stdout());
        if (out.exitCode() != 0) {
            throw error(type, command, out, json);
        }
        if (json != null && json.has("code") && json.has("msg") && !json.has("interfaces") && !json.has("ips")) {
            // Some plugins of older spec versions print an error object yet exit 0.
            throw error(type, command, out, json);
        }
        return json;
    }

    private String cniPath() {
        return pluginDirs.stream().map(Path::toString).collect(Collectors.joining(":"));
    }

    private static JsonNode parse(String stdout) {
        if (stdout == null || stdout.isBlank()) {
            return null;
        }
        try {
            return CniConfig.JSON.readTree(stdout);
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static BerthException error(String type, String command, ProcessRunner.Output out, JsonNode json) {
        String where = "CNI plugin " + type + " " + command + " failed";
        if (json != null && json.has("msg")) {
            int code = json.path("code").asInt(0);
            String details = json.path("details").asText("");
            String msg = where + ": " + json.get("msg").asText() + (details.isEmpty() ? "" : ": " + details);
            return new BerthException(categoryOf(code), msg);
        }
        String detail = !out.stderr().isBlank() ? out.stderr().strip() : out.stdout().strip();
        return new BerthException(ErrorCategory.SYSTEM,
                where + " (exit " + out.exitCode() + ")" + (detail.isEmpty() ? "" : ": " + detail));
    }

    /** The spec's well-known error codes (section 6); plugin-specific codes (100+) are system failures. */
    static ErrorCategory categoryOf(int code) {
        return switch (code) {
            case 2, 4, 6, 7 -> ErrorCategory.INVALID_ARGUMENT; // unsupported field, bad env, undecodable, bad config
            case 3 -> ErrorCategory.NOT_FOUND; // container unknown or does not exist
            case 11 -> ErrorCategory.UNAVAILABLE; // try again later
            default -> ErrorCategory.SYSTEM; // 1 incompatible version, 5 I/O, and the rest
        };
    }
}
