package dev.berth.cli;

import dev.berth.cli.format.Formatter;
import dev.berth.cli.format.GoJson;
import dev.berth.cli.format.GoTemplate;
import dev.berth.cli.format.ImageRows;
import dev.berth.cli.format.RawModels;
import dev.berth.cli.progress.ProgressPrinter;
import dev.berth.engine.client.model.AuthConfig;
import dev.berth.engine.client.model.JsonMessage;
import dev.berth.images.Json;

import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * The workload the build runs once with {@code -XX:ArchiveClassesAtExit} to make the class-data
 * sharing archive {@code bin/berth} starts with: it loads what common commands load (argument
 * parsing, the engine client up to a refused connection, JSON reading, tables and templates,
 * progress drawing), so that a real run maps those classes instead of loading and verifying them.
 * It talks only to its own {@link TrainingEngine} and writes nothing.
 */
public final class CdsTraining {
    private CdsTraining() {
    }

    public static void main(String[] args) throws Exception {
        PrintStream sink = new PrintStream(OutputStream.nullOutputStream(), false, StandardCharsets.UTF_8);
        if (args.length > 0 && args[0].equals("lean")) {
            lean(sink);
            return;
        }
        String nowhere = "unix:///nonexistent/berth-cds-training.sock";
        Io io = new Io(new ByteArrayInputStream(new byte[0]), sink, sink, sink, Map.of("HOME", "/nonexistent"),
                () -> false, () -> false, () -> 80, Clock.systemUTC());
        for (String[] command : List.of(
                new String[] {"--help"},
                new String[] {"images", "--help"},
                new String[] {"-H", nowhere, "images"},
                new String[] {"-H", nowhere, "version"},
                new String[] {"-H", nowhere, "image", "inspect", "x"},
                new String[] {"bogus"})) {
            Main.run(command, io);
        }
        // The success path of the commands people time: ps and images against an engine that answers.
        try (TrainingEngine engine = TrainingEngine.start()) {
            String host = engine.host();
            for (String[] command : List.of(
                    new String[] {"-H", host, "ps"},
                    new String[] {"-H", host, "ps", "-a"},
                    new String[] {"-H", host, "ps", "-q"},
                    new String[] {"-H", host, "ps", "-a", "--no-trunc", "--format", "{{.Names}} {{.Status}} {{json .Labels}}"},
                    new String[] {"-H", host, "images"},
                    new String[] {"-H", host, "images", "-q"},
                    new String[] {"-H", host, "image", "ls", "--format", "table {{.Repository}}\t{{.Tag}}"},
                    new String[] {"-H", host, "version"},
                    new String[] {"-H", host, "inspect", "training"})) {
                Main.run(command, io);
            }
        }

        byte[] images = ("[{\"Id\":\"sha256:0123456789abcdef\",\"ParentId\":\"\",\"RepoTags\":[\"busybox:latest\"],"
                + "\"RepoDigests\":[\"busybox@sha256:" + "a".repeat(64) + "\"],\"Created\":1700000000,\"Size\":4261234,"
                + "\"SharedSize\":-1,\"Labels\":{},\"Containers\":-1}]").getBytes(StandardCharsets.UTF_8);
        var rows = ImageRows.rows(RawModels.imageSummaries(images), false, false, true, Clock.systemUTC().instant());
        Formatter.render(ImageRows.DEFAULT_TABLE, rows, ImageRows.HEADERS);
        Formatter.render("{{json .}}", rows, ImageRows.HEADERS);
        Object parsed = GoJson.parse(images);
        GoTemplate.parse("{{range .}}{{.Id}} {{join .RepoTags \",\"}}{{if .Size}}{{json .Labels}}{{end}}{{end}}")
                .execute(parsed, GoTemplate.Options.STRICT);
        GoJson.indent(new String(images, StandardCharsets.UTF_8), "    ");

        // Pull, push and load still bind their messages with Jackson.
        JsonMessage message = Json.MAPPER.readerFor(JsonMessage.class).readValue(
                "{\"status\":\"Downloading\",\"progressDetail\":{\"current\":1,\"total\":2},\"id\":\"abc\"}");
        new ProgressPrinter(sink, true, 200, Clock.systemUTC()).display(List.of(message,
                JsonMessage.status("abc", "Pull complete"), JsonMessage.status(null, "Digest: x")).iterator(), null);
        AuthConfig.basic("user", "password", "localhost:5000").encode();
        sink.flush();
    }

    /**
     * The lean cache bin/berth starts {@code ps} and {@code images} with: only their lean path
     * (LeanEngine, LeanJson, the formatter), because a JVM maps and links every class of its AOT
     * cache at start, so the full cache's OkHttp, Kotlin and databind would cost these two anyway.
     */
    private static void lean(PrintStream sink) throws Exception {
        Io io = new Io(new ByteArrayInputStream(new byte[0]), sink, sink, sink, Map.of("HOME", "/nonexistent"),
                () -> false, () -> false, () -> 80, Clock.systemUTC());
        // what main does before a command runs (the process environment, the system streams and
        // their lambdas), so that a real start finds those classes in the cache too
        Io.system();
        try (TrainingEngine engine = TrainingEngine.start()) {
            String host = engine.host();
            for (String[] command : List.of(
                    new String[] {"-H", host, "ps"},
                    new String[] {"-H", host, "ps", "-a", "--filter", "status=running"},
                    new String[] {"-H", host, "ps", "-q"},
                    new String[] {"-H", host, "container", "ls", "-a", "--no-trunc", "--format", "{{.Names}} {{.Status}} {{json .Labels}}"},
                    new String[] {"-H", host, "ps", "--format", "json"},
                    new String[] {"-H", host, "images"},
                    new String[] {"-H", host, "images", "-q"},
                    new String[] {"-H", host, "image", "ls", "--format", "table {{.Repository}}\t{{.Tag}}"})) {
                Main.run(command, io);
            }
        }
        sink.flush();
    }
}
