package dev.berth.cli;

import dev.berth.engine.client.FakeEngine;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;

/** Runs the CLI in-process with captured streams, a fixed clock, and a chosen engine. */
final class CliRun {
    /** The instant every test's clock shows. */
    static final Instant NOW = Instant.parse("2024-06-15T12:00:00Z");

    private final Map<String, String> env = new HashMap<>();
    private byte[] stdin = new byte[0];
    private boolean stdinTty;
    private boolean stdoutTty;
    private int width = 80;
    private Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

    CliRun(FakeEngine engine, Path home) {
        if (engine != null) {
            env.put("DOCKER_HOST", engine.endpoint().uri());
        }
        env.put("HOME", home.toString());
    }

    CliRun env(String key, String value) {
        env.put(key, value);
        return this;
    }

    CliRun stdin(String text) {
        stdin = text.getBytes(StandardCharsets.UTF_8);
        return this;
    }

    CliRun stdin(byte[] bytes) {
        stdin = bytes;
        return this;
    }

    /** The real clock, for output compared with docker's against the same engine ("Up 3 seconds"). */
    CliRun systemClock() {
        this.clock = Clock.systemUTC();
        return this;
    }

    CliRun terminal(boolean stdinTty, boolean stdoutTty, int width) {
        this.stdinTty = stdinTty;
        this.stdoutTty = stdoutTty;
        this.width = width;
        return this;
    }

    Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, false, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        Io io = new Io(new ByteArrayInputStream(stdin), o, e, o, Map.copyOf(env), () -> stdinTty, () -> stdoutTty,
                () -> width, clock);
        int status = Main.run(args, io);
        o.flush();
        return new Result(status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8), out.toByteArray());
    }

    record Result(int status, String out, String err, byte[] outBytes) {
        @Override
        public String toString() {
            return "status " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }
}
