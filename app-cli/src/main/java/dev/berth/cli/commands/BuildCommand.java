package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.engine.client.BuildContextTar;
import dev.berth.cli.progress.ProgressPrinter;
import dev.berth.engine.client.BuildClient;
import dev.berth.engine.client.MessageStream;
import dev.berth.engine.client.model.JsonMessage;
import dev.berth.engine.format.Units;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * {@code berth build}: the docker CLI's classic builder client ({@code DOCKER_BUILDKIT=0 docker build}).
 * Tars the context (honouring {@code .dockerignore}), sends it to {@code POST /build} and prints the
 * stream as docker does.
 */
public final class BuildCommand extends BerthCommand {
    static final List<Opt> OPTIONS = List.of(
            Opt.value("build-arg", "list", "Set build-time variables"),
            Opt.value('f', "file", "string", "Name of the Dockerfile (Default is \"PATH/Dockerfile\")"),
            Opt.bool("force-rm", "Always remove intermediate containers"),
            Opt.value("iidfile", "string", "Write the image ID to the file"),
            Opt.value("label", "list", "Set metadata for an image"),
            Opt.value("network", "string", "Set the networking mode for the RUN instructions during build"),
            Opt.bool("no-cache", "Do not use cache when building the image"),
            Opt.value("platform", "string", "Set platform if server is multi-platform capable"),
            Opt.bool("pull", "Always attempt to pull a newer version of the image"),
            Opt.bool('q', "quiet", "Suppress the build output and print image ID on success"),
            Opt.bool("rm", "Remove intermediate containers after a successful build (default true)"),
            Opt.value('t', "tag", "list", "Name and optionally a tag in the \"name:tag\" format"),
            Opt.value("target", "string", "Set the target build stage to build."));

    final List<String> tags = new ArrayList<>();
    final Map<String, String> buildArgs = new LinkedHashMap<>();
    final Map<String, String> labels = new LinkedHashMap<>();
    String file;
    String iidFile;
    String network;
    String platform;
    String target;
    boolean noCache;
    boolean pull;
    boolean quiet;
    boolean remove = true;
    boolean forceRemove;

    @Override
    public List<Opt> options() {
        return OPTIONS;
    }

    @Override
    public void flag(String name, String value) {
        switch (name) {
            case "build-arg" -> buildArg(value);
            case "file" -> file = value;
            case "force-rm" -> forceRemove = Boolean.parseBoolean(value);
            case "iidfile" -> iidFile = value;
            case "label" -> {
                int eq = value.indexOf('=');
                labels.put(eq < 0 ? value : value.substring(0, eq), eq < 0 ? "" : value.substring(eq + 1));
            }
            case "network" -> network = value;
            case "no-cache" -> noCache = Boolean.parseBoolean(value);
            case "platform" -> platform = value;
            case "pull" -> pull = Boolean.parseBoolean(value);
            case "quiet" -> quiet = Boolean.parseBoolean(value);
            case "rm" -> remove = Boolean.parseBoolean(value);
            case "tag" -> tags.add(value);
            case "target" -> target = value;
            default -> throw new IllegalArgumentException(name);
        }
    }

    /** docker's opts.ConvertKVStringsToMapWithNil: {@code X} alone takes X from the environment, or stays null. */
    private void buildArg(String value) {
        int eq = value.indexOf('=');
        if (eq >= 0) {
            buildArgs.put(value.substring(0, eq), value.substring(eq + 1));
        } else {
            buildArgs.put(value, cli.io().env().get(value));
        }
    }

    @Override
    public int run() throws Exception {
        exactArgs(1, args);
        if (platform != null && !platform.isEmpty() && !platform.equals("linux/amd64") && !platform.equals("linux")) {
            throw new UsageError("\"" + platform + "\": the only platform Berth builds for is linux/amd64", 1);
        }
        for (String t : tags) {
            try {
                dev.berth.images.ImageReference.parseNormalizedNamed(t);
            } catch (RuntimeException e) {
                throw new UsageError("invalid argument \"" + t + "\" for \"-t, --tag\" flag: " + e.getMessage(), 125);
            }
        }
        String dockerfileName = null;
        InputStream body;
        Thread writer = null;
        AtomicReference<IOException> writeFailure = new AtomicReference<>();
        String spec = args.getFirst();
        if (spec.equals("-")) {
            if (file != null && file.equals("-")) {
                throw new UsageError("invalid argument: can't use stdin for both build context and dockerfile", 1);
            }
            body = stdinContext();
            dockerfileName = file;
        } else {
            Path root = Path.of(spec).toAbsolutePath().normalize();
            if (!Files.isDirectory(root)) {
                throw new UsageError("unable to prepare context: path \"" + spec + "\" not found", 1);
            }
            String rel = null;
            String extraName = null;
            byte[] extra = null;
            if (file != null && file.equals("-")) {
                extra = cli.io().in().readAllBytes();
                extraName = ".dockerfile." + HexFormat.of().formatHex(randomBytes());
                dockerfileName = extraName;
            } else {
                Path df = file == null || file.isEmpty() ? root.resolve("Dockerfile") : Path.of(file).toAbsolutePath().normalize();
                if (!Files.exists(df)) {
                    throw new UsageError("unable to prepare context: unable to evaluate symlinks in Dockerfile path: lstat "
                            + df + ": no such file or directory", 1);
                }
                if (df.startsWith(root)) {
                    rel = root.relativize(df).toString();
                    dockerfileName = rel;
                } else {
                    extra = Files.readAllBytes(df);
                    extraName = ".dockerfile." + HexFormat.of().formatHex(randomBytes());
                    dockerfileName = extraName;
                }
            }
            BuildContextTar tar = new BuildContextTar(root, rel, extraName, extra);
            PipedInputStream in = new PipedInputStream(256 * 1024);
            PipedOutputStream out = new PipedOutputStream(in);
            writer = Thread.ofVirtual().start(() -> {
                try (out) {
                    tar.write(out);
                } catch (IOException e) {
                    writeFailure.set(e);
                }
            });
            body = in;
        }
        PrintStream stdout = out();
        ByteArrayOutputStream quietBuffer = new ByteArrayOutputStream();
        PrintStream shown = quiet ? new PrintStream(quietBuffer, true, StandardCharsets.UTF_8) : stdout;
        AtomicLong sent = new AtomicLong();
        BuildClient.Options o = new BuildClient.Options(tags, dockerfileName, buildArgs, labels, target, noCache, pull, quiet,
                remove, forceRemove, platform, network);
        AtomicReference<String> imageId = new AtomicReference<>("");
        try (body) {
            MessageStream<JsonMessage> stream;
            try {
                stream = cli.client().builds().build(body, o, null, sent::set);
            } finally {
                // The upload is over once the engine answers, even with an error: docker's last
                // progress line (the only one it shows off a terminal).
                if (!quiet && sent.get() > 0) {
                    stdout.print("Sending build context to Docker daemon " + String.format("%8s", Units.humanSize(sent.get()))
                            + "\r\r\n");
                }
            }
            try (stream) {
                new ProgressPrinter(shown, false, 200, cli.io().clock()).display(stream, m -> {
                    if (m.aux().has("ID")) {
                        imageId.set(m.aux().get("ID").asText());
                    }
                });
            }
        } catch (BuildClient.BuildFailed e) {
            shown.flush();
            if (quiet) {
                err().print(quietBuffer.toString(StandardCharsets.UTF_8));
            }
            throw new UsageError(e.getMessage(), e.exitCode());
        } finally {
            if (writer != null) {
                writer.interrupt();
            }
        }
        if (writeFailure.get() != null) {
            throw writeFailure.get();
        }
        if (quiet) {
            String id = quietBuffer.toString(StandardCharsets.UTF_8);
            stdout.print(id);
            imageId.set(id.strip());
        }
        if (iidFile != null && !iidFile.isEmpty()) {
            if (imageId.get().isEmpty()) {
                throw new UsageError("Server did not provide an image ID. Cannot write " + iidFile, 1);
            }
            Files.writeString(Path.of(iidFile), imageId.get());
        }
        return 0;
    }

    /** A tar on stdin goes as it is; anything else is taken as a Dockerfile (docker's DetectArchiveReader). */
    private InputStream stdinContext() throws IOException {
        BufferedInputStream in = new BufferedInputStream(cli.io().in(), 64 * 1024);
        in.mark(1024);
        byte[] head = in.readNBytes(512);
        in.reset();
        boolean tar = head.length == 512 && new String(head, 257, 5, StandardCharsets.ISO_8859_1).equals("ustar");
        boolean compressed = head.length >= 2 && ((head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b);
        if (tar || compressed) {
            return in;
        }
        byte[] dockerfile = in.readAllBytes();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (var t = new org.apache.commons.compress.archivers.tar.TarArchiveOutputStream(bytes)) {
            var e = new org.apache.commons.compress.archivers.tar.TarArchiveEntry("Dockerfile");
            e.setSize(dockerfile.length);
            e.setMode(0100600);
            t.putArchiveEntry(e);
            t.write(dockerfile);
            t.closeArchiveEntry();
        }
        return new java.io.ByteArrayInputStream(bytes.toByteArray());
    }

    private static byte[] randomBytes() {
        byte[] b = new byte[10];
        ThreadLocalRandom.current().nextBytes(b);
        return b;
    }
}
