package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.errors.BerthException;
import dev.berth.engine.Daemon;
import dev.berth.engine.DaemonConfigFile;
import dev.berth.engine.DaemonOptions;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth daemon -H unix:///path.sock --data-root DIR}: runs the engine in the foreground.
 *
 * <p>Without {@code -H} it listens on the default socket the clients look for; without
 * {@code --data-root} it keeps its state in the default data root.
 */
public final class DaemonCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value("data-root", "string", "Root directory of persistent engine state"),
            Opt.bool('D', "debug", "Enable debug mode"),
            Opt.value('H', "host", "string", "Socket to listen on (unix:///path.sock)"),
            Opt.value("insecure-registry", "list", "Enable insecure registry communication"),
            Opt.value("config-file", "string", "Daemon configuration file (default \"/etc/berth/daemon.json\")"),
            Opt.value('b', "bridge", "string", "Attach containers to a network bridge (\"none\": no default bridge)"));

    String host;
    String dataRoot;
    final List<String> insecureRegistries = new ArrayList<>();
    boolean debug;
    boolean debugSet;
    String configFile;
    String bridge;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "data-root" -> dataRoot = value;
            case "debug" -> {
                debug = Boolean.parseBoolean(value);
                debugSet = true;
            }
            case "config-file" -> configFile = value;
            case "bridge" -> bridge = value;
            case "host" -> host = value;
            case "insecure-registry" -> insecureRegistries.add(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() {
        noArgs(args);
        Path socket;
        if (host == null || host.isEmpty()) {
            socket = EngineEndpoint.resolve(null, java.util.Map.of("XDG_RUNTIME_DIR",
                    cli.io().env().getOrDefault("XDG_RUNTIME_DIR", ""))).socketPath();
        } else {
            EngineEndpoint endpoint = EngineEndpoint.parse(host);
            if (!endpoint.isUnix()) {
                throw BerthException.invalid("the engine listens on a Unix socket only: use -H unix:///path/to.sock");
            }
            socket = endpoint.socketPath();
        }
        DaemonConfigFile file = DaemonConfigFile.read(configFile != null ? Path.of(configFile)
                : DaemonConfigFile.defaultPath(cli.io().env()), configFile != null);
        conflicts(file);
        file.ignored().forEach(k -> err().println("WARNING: daemon configuration \"" + k + "\" is not used by Berth; ignored"));
        List<String> insecure = file.insecureRegistries() != null ? file.insecureRegistries() : insecureRegistries;
        String root = file.dataRoot() != null ? file.dataRoot() : dataRoot;
        boolean dbg = file.debug() != null ? file.debug() : debug;
        dev.berth.registry.InsecureRegistries.parse(insecure).warnings().forEach(w -> err().println("WARNING: " + w));
        start(new DaemonOptions(socket, root == null ? DaemonOptions.defaultDataRoot() : Path.of(root), insecure,
                dbg || cli.debug(), "none".equals(bridge) ? "" : bridge, null));
        return 0;
    }

    /** dockerd's rule: a directive may come from a flag or from the file, not both. */
    private void conflicts(DaemonConfigFile file) {
        List<String> both = new ArrayList<>();
        if (file.insecureRegistries() != null && !insecureRegistries.isEmpty()) {
            both.add("insecure-registries: (from flag: " + goList(insecureRegistries) + ", from file: "
                    + goList(file.insecureRegistries()) + ")");
        }
        if (file.dataRoot() != null && dataRoot != null) {
            both.add("data-root: (from flag: " + dataRoot + ", from file: " + file.dataRoot() + ")");
        }
        if (file.debug() != null && debugSet) {
            both.add("debug: (from flag: " + debug + ", from file: " + file.debug() + ")");
        }
        if (!both.isEmpty()) {
            throw BerthException.invalid("the following directives are specified both as a flag and in the configuration file: "
                    + String.join(", ", both));
        }
    }

    private static String goList(List<String> values) {
        return "[" + String.join(" ", values) + "]";
    }

    private static void start(DaemonOptions options) {
        try {
            Daemon.run(options);
        } catch (java.io.IOException e) {
            throw BerthException.system("berth daemon: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
