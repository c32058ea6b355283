package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.HijackedConnection;
import dev.berth.engine.client.model.ContainerWaitResponse;
import dev.berth.errors.BerthException;

import java.util.List;

/** {@code berth start}: starts containers; with {@code -a}/{@code -i} attaches to one and exits with its status. */
public final class StartCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool('a', "attach", "Attach STDOUT/STDERR and forward signals"),
            Opt.value("detach-keys", "string", "Override the key sequence for detaching a container"),
            Opt.bool('i', "interactive", "Attach container's STDIN"));

    boolean attach;
    String detachKeys;
    boolean interactive;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        boolean on = Boolean.parseBoolean(value);
        switch (name) {
            case "attach" -> attach = on;
            case "detach-keys" -> detachKeys = value;
            case "interactive" -> interactive = on;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws Exception {
        minArgs(1, args);
        ContainerClient containers = cli.client().containers();
        if (!attach && !interactive) {
            return Containers.forEach(cli, args, containers::start);
        }
        if (args.size() > 1) {
            throw new UsageError("you cannot start and attach multiple containers at once", 1);
        }
        String name = args.getFirst();
        var config = containers.inspect(name).path("Config");
        boolean tty = config.path("Tty").asBoolean(false);
        boolean stdin = interactive && config.path("OpenStdin").asBoolean(false);
        HijackedConnection conn = containers.attach(name, stdin, true, true, false, detachKeys);
        try (conn; ContainerClient.PendingWait wait = containers.startWait(name, "next-exit")) {
            try {
                containers.start(name);
            } catch (BerthException e) {
                throw new UsageError(Containers.message(e), 1);
            }
            Containers.pump(cli, conn, tty, stdin, tty ? () -> Containers.monitorSize(cli, (h, w) -> containers.resize(name, h, w)) : null);
            ContainerWaitResponse status = wait.result();
            return (int) status.statusCode();
        }
    }
}
