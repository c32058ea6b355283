package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.engine.client.EngineEndpoint;
import dev.berth.errors.BerthException;
import dev.berth.engine.Daemon;
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
            Opt.value("insecure-registry", "list", "Registries to reach over plain HTTP"));

    String host;
    String dataRoot;
    final List<String> insecureRegistries = new ArrayList<>();
    boolean debug;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "data-root" -> dataRoot = value;
            case "debug" -> debug = Boolean.parseBoolean(value);
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
        start(socket, dataRoot == null ? null : Path.of(dataRoot), insecureRegistries, debug || cli.debug());
        return 0;
    }

    private static void start(Path socket, Path dataRoot, List<String> insecureRegistries, boolean debug) {
        try {
            Daemon.run(new DaemonOptions(socket, dataRoot == null ? DaemonOptions.defaultDataRoot() : dataRoot,
                    insecureRegistries, debug));
        } catch (java.io.IOException e) {
            throw BerthException.system("berth daemon: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
