package dev.berth.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.cli.Opt;
import dev.berth.cli.RawTerminal;
import dev.berth.cli.UsageError;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.HijackedConnection;
import dev.berth.images.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code berth exec}: an exec created, started hijacked (or detached with {@code -d}), then its exit
 * code read from {@code /exec/{id}/json}, which becomes berth's own, as docker does.
 */
public final class ExecCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.bool('d', "detach", "Detached mode: run command in the background"),
            Opt.value("detach-keys", "string", "Override the key sequence for detaching a container"),
            Opt.value('e', "env", "list", "Set environment variables"),
            Opt.value("env-file", "list", "Read in a file of environment variables"),
            Opt.bool('i', "interactive", "Keep STDIN open even if not attached"),
            Opt.bool("privileged", "Give extended privileges to the command"),
            Opt.bool('t', "tty", "Allocate a pseudo-TTY"),
            Opt.value('u', "user", "string", "Username or UID (format: \"<name|uid>[:<group|gid>]\")"),
            Opt.value('w', "workdir", "string", "Working directory inside the container"));

    boolean detach;
    String detachKeys;
    final List<String> env = new ArrayList<>();
    final List<String> envFiles = new ArrayList<>();
    boolean interactive;
    boolean privileged;
    boolean tty;
    String user;
    String workdir;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public boolean interspersed() {
        return false;
    }

    @Override
    public void flag(String name, String value) {
        boolean on = Boolean.parseBoolean(value);
        switch (name) {
            case "detach" -> detach = on;
            case "detach-keys" -> detachKeys = value;
            case "env" -> env.add(value);
            case "env-file" -> envFiles.add(value);
            case "interactive" -> interactive = on;
            case "privileged" -> privileged = on;
            case "tty" -> tty = on;
            case "user" -> user = value;
            case "workdir" -> workdir = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    @Override
    public int run() throws Exception {
        minArgs(2, args);
        String container = args.getFirst();
        if (tty && interactive && !cli.io().stdinIsTerminal().getAsBoolean()) {
            throw new UsageError("the input device is not a TTY", 1);
        }
        ObjectNode config = Json.MAPPER.createObjectNode();
        if (user != null) {
            config.put("User", user);
        }
        config.put("Privileged", privileged);
        config.put("Tty", tty);
        config.put("AttachStdin", interactive && !detach);
        config.put("AttachStdout", !detach);
        config.put("AttachStderr", !detach);
        if (detachKeys != null) {
            config.put("DetachKeys", detachKeys);
        }
        List<String> allEnv = new ArrayList<>();
        if (!envFiles.isEmpty() || !env.isEmpty()) {
            // the same rules as run's -e and --env-file
            var o = new dev.berth.engine.client.run.ContainerOptions();
            o.envFiles.addAll(envFiles);
            o.env.addAll(env);
            o.args.add("x");
            JsonNode built = new dev.berth.engine.client.run.ContainerConfigBuilder(k -> cli.io().env().get(k),
                    java.nio.file.Path.of("").toAbsolutePath()).build(o, false, null).body().path("Env");
            built.forEach(e -> allEnv.add(e.asText()));
        }
        if (!allEnv.isEmpty()) {
            allEnv.forEach(config.putArray("Env")::add);
        }
        if (workdir != null) {
            config.put("WorkingDir", workdir);
        }
        if (tty && cli.io().stdoutIsTerminal().getAsBoolean()) {
            int[] size = RawTerminal.size(1);
            if (size != null) {
                config.putArray("ConsoleSize").add(size[0]).add(size[1]);
            }
        }
        args.subList(1, args.size()).forEach(config.putArray("Cmd")::add);

        ContainerClient containers = cli.client().containers();
        String execId = containers.execCreate(container, config);
        if (detach) {
            containers.execStartDetached(execId, tty);
            return 0;
        }
        try (HijackedConnection conn = containers.execStart(execId, tty)) {
            if (Containers.pump(cli, conn, tty, interactive, tty
                    ? () -> Containers.monitorSize(cli, (h, w) -> containers.execResize(execId, h, w)) : null, detachKeys)) {
                return 0;
            }
        }
        JsonNode inspect = containers.execInspect(execId);
        // the exec may still be finishing when the stream closes: poll briefly for its exit code
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (inspect.path("Running").asBoolean(false) && System.nanoTime() < deadline) {
            Thread.sleep(20);
            inspect = containers.execInspect(execId);
        }
        return inspect.path("ExitCode").asInt(0);
    }
}
