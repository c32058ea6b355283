package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.RawTerminal;
import dev.berth.cli.UsageError;
import dev.berth.cli.containers.RunFlags;
import dev.berth.cli.progress.ProgressPrinter;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.HijackedConnection;
import dev.berth.engine.client.model.AuthConfig;
import dev.berth.engine.client.model.ContainerCreateResponse;
import dev.berth.engine.client.model.ContainerWaitResponse;
import dev.berth.engine.client.run.ConfigException;
import dev.berth.engine.client.run.ContainerConfigBuilder;
import dev.berth.engine.client.run.ContainerOptions;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.ImageReference;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * {@code berth run} and {@code berth create}: flags to a create request (through
 * {@link ContainerConfigBuilder}), the image pulled when missing, then for run: attach, wait, start,
 * stream, and exit with the container's status, as docker's {@code runContainer} does. Daemon errors
 * exit 125; a command that cannot be found 127, one that cannot be executed 126.
 */
public final class RunCommand extends BerthCommand {
    static final List<Opt> RUN_OPTIONS = sorted(true);
    static final List<Opt> CREATE_OPTIONS = sorted(false);

    private final boolean run;
    final ContainerOptions o = new ContainerOptions();

    public RunCommand(boolean run) {
        this.run = run;
    }

    private static List<Opt> sorted(boolean run) {
        List<Opt> all = new ArrayList<>(RunFlags.OPTIONS);
        if (run) {
            all.addAll(RunFlags.RUN_ONLY);
        }
        all.sort(Comparator.comparing(Opt::longName));
        return List.copyOf(all);
    }

    @Override
    public List<Opt> options() {
        return run ? RUN_OPTIONS : CREATE_OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        if (!o.flag(name, value)) {
            throw new IllegalArgumentException(name);
        }
    }

    @Override
    public void argument(String value) {
        o.args.add(value);
    }

    /** docker stops parsing flags at the image: everything after it is the command. */
    @Override
    public boolean interspersed() {
        return false;
    }

    @Override
    public int run() throws Exception {
        minArgs(1, o.args);
        ContainerConfigBuilder.Result config;
        try {
            int[] size = o.tty && cli.io().stdoutIsTerminal().getAsBoolean() ? RawTerminal.size(1) : null;
            config = new ContainerConfigBuilder(key -> cli.io().env().get(key), Path.of("").toAbsolutePath())
                    .build(o, run, size);
        } catch (ConfigException e) {
            if (e.isFlagValue()) {
                throw new UsageError(e.getMessage() + "\n\nUsage:  " + useLine() + "\n\nRun '" + path
                        + " --help' for more information", 125);
            }
            throw runError(e.getMessage(), 125);
        }
        if (run && o.tty && o.interactive && !cli.io().stdinIsTerminal().getAsBoolean()) {
            throw runError("the input device is not a TTY", 1);
        }
        ContainerClient containers = cli.client().containers();
        String id;
        try {
            id = create(config);
        } catch (BerthException e) {
            throw runError(Containers.message(e), 125);
        }
        if (!run) {
            out().println(id);
            return 0;
        }
        boolean attach = config.attachStdin() || config.attachStdout() || config.attachStderr();
        if (!attach) {
            try {
                containers.start(id);
            } catch (BerthException e) {
                if (config.autoRemove()) {
                    try {
                        containers.remove(id, true, true, false);
                    } catch (BerthException ignored) {
                        // already removed by the engine
                    }
                }
                throw runError(Containers.message(e), startStatus(e.getMessage()));
            }
            out().println(id);
            return 0;
        }
        HijackedConnection conn;
        ContainerClient.PendingWait wait;
        try {
            conn = containers.attach(id, config.attachStdin(), config.attachStdout(), config.attachStderr(), false,
                    o.detachKeys);
            wait = containers.startWait(id, config.autoRemove() ? "removed" : "next-exit");
        } catch (BerthException e) {
            throw runError(Containers.message(e), 125);
        }
        try (conn; wait) {
            try {
                containers.start(id);
            } catch (BerthException e) {
                conn.close();
                if (config.autoRemove()) {
                    // docker waits for the engine to remove it; an engine that does not remove a
                    // container that never ran would hold that wait forever, so remove it here
                    try {
                        containers.remove(id, true, true, false);
                    } catch (BerthException ignored) {
                        // already removed by the engine
                    }
                }
                throw runError(Containers.message(e), startStatus(e.getMessage()));
            }
            try (var proxy = o.sigProxy && !config.tty() ? dev.berth.cli.SignalProxy.install(s -> containers.kill(id, s)) : null) {
                if (Containers.pump(cli, conn, config.tty(), config.attachStdin(), config.tty()
                        ? () -> Containers.monitorSize(cli, (h, w) -> containers.resize(id, h, w)) : null, o.detachKeys)) {
                    return 0; // detached: the container runs on, as docker leaves it
                }
            }
            ContainerWaitResponse status = wait.result();
            if (!status.errorMessage().isEmpty()) {
                throw new UsageError(status.errorMessage(), 125);
            }
            return (int) status.statusCode();
        }
    }

    /** Creates the container, pulling its image first when asked to or when it is missing. */
    private String create(ContainerConfigBuilder.Result config) {
        ContainerClient containers = cli.client().containers();
        ImageReference ref = null;
        try {
            ref = ImageReference.parseNormalizedNamed(config.image());
            if (ref.tag().isEmpty() && ref.digest().isEmpty()) {
                ref = ref.withTag(ImageReference.DEFAULT_TAG);
            }
        } catch (BerthException e) {
            // an image ID or something the engine words better: let it answer
        }
        if (ref != null && config.pull().equals("always")) {
            pull(ref);
        }
        ContainerCreateResponse created;
        try {
            created = containers.create(config.name(), config.platform(), config.body());
        } catch (BerthException e) {
            if (e.category() != ErrorCategory.NOT_FOUND || ref == null || !config.pull().equals("missing")
                    || !e.getMessage().startsWith("No such image")) {
                throw e;
            }
            if (!o.quiet) {
                err().println("Unable to find image '" + ref.familiarString() + "' locally");
            }
            pull(ref);
            created = containers.create(config.name(), config.platform(), config.body());
        }
        for (String warning : created.warnings()) {
            err().println("WARNING: " + warning);
        }
        return created.id();
    }

    /** Pulls with progress on stderr: stdout is only for the container's ID. */
    private void pull(ImageReference ref) {
        AuthConfig auth = cli.credentials().forRegistry(ref.registry());
        try (var stream = cli.client().pullImage(ref.toString(), o.platform, auth)) {
            PrintStream target = o.quiet ? new PrintStream(OutputStream.nullOutputStream()) : err();
            new ProgressPrinter(target, false, 200, cli.io().clock()).display(stream, null);
        }
    }

    private UsageError runError(String message, int status) {
        return new UsageError("berth: " + message + "\n\nRun '" + path + " --help' for more information", status);
    }

    /** docker's {@code runStartContainerErr}. */
    static int startStatus(String message) {
        if (message.contains("executable file not found") || message.contains("no such file or directory")
                || message.contains("system cannot find the file specified")) {
            return 127;
        }
        if (message.contains("permission denied") || message.contains("is a directory")) {
            return 126;
        }
        return 125;
    }
}
