package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.HijackedConnection;

import java.util.List;

/** {@code berth attach}: the running container's stdio, then its exit code. */
public final class AttachCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value("detach-keys", "string", "Override the key sequence for detaching a container"),
            Opt.bool("no-stdin", "Do not attach STDIN"),
            Opt.bool("sig-proxy", "Proxy all received signals to the process (default true)"));

    String detachKeys;
    boolean noStdin;
    boolean sigProxy = true;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "detach-keys" -> detachKeys = value;
            case "no-stdin" -> noStdin = Boolean.parseBoolean(value);
            case "sig-proxy" -> sigProxy = Boolean.parseBoolean(value);
            default -> throw new IllegalArgumentException(name);
        }
    }

    private static final java.time.Duration EXIT_WAIT = java.time.Duration.ofSeconds(5);

    @Override
    public int run() throws Exception {
        exactArgs(1, args);
        String name = args.getFirst();
        ContainerClient containers = cli.client().containers();
        var inspect = containers.inspect(name);
        if (!inspect.path("State").path("Running").asBoolean(false)) {
            throw new UsageError("You cannot attach to a stopped container, start it first", 1);
        }
        if (inspect.path("State").path("Paused").asBoolean(false)) {
            throw new UsageError("You cannot attach to a paused container, unpause it first", 1);
        }
        boolean tty = inspect.path("Config").path("Tty").asBoolean(false);
        boolean stdin = !noStdin && inspect.path("Config").path("OpenStdin").asBoolean(false);
        try (HijackedConnection conn = containers.attach(name, stdin, true, true, false, detachKeys);
             ContainerClient.PendingWait wait = containers.startWait(name, "not-running")) {
            try (var proxy = sigProxy && !tty ? dev.berth.cli.SignalProxy.install(s -> containers.kill(name, s)) : null) {
                if (Containers.pump(cli, conn, tty, stdin, tty ? () -> Containers.monitorSize(cli, (h, w) -> containers.resize(name, h, w))
                        : null, detachKeys)) {
                    return 0;
                }
            }
            // The stream ends as the process exits, a moment before the engine records the exit: give it
            // that moment, or an exit would pass for a detach (made by the engine's detach keys) and report 0.
            return wait.result(EXIT_WAIT).map(status -> (int) status.statusCode())
                    .orElse(0); // still running: detached with the detach keys
        }
    }
}
