package dev.berth.cli;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code berth build} against {@code DOCKER_BUILDKIT=0 docker build}, both talking to the same Berth
 * daemon: the same stdout (image and container ids normalised), the same exit status and error line.
 */
class BuildGoldenOutputTest {
    private static final String BRIDGE = "bbd0";
    private static final String SUBNET = "10.71.0.0/24";

    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path home;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, SUBNET), home.resolve(".docker"));
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Processes.run(Map.of(), null, 10, "ip", "link", "del", BRIDGE);
            }
        }
    }

    static CliRun.Result berth(String... args) {
        return new CliRun(null, home).env("DOCKER_HOST", engine.daemon().host()).systemClock().run(args);
    }

    static String normalise(String s) {
        return s.replaceAll("sha256:[0-9a-f]{64}", "sha256:<id>").replaceAll("\\b[0-9a-f]{12}\\b", "<id>");
    }

    static Path context(String name, String dockerfile, String... files) throws IOException {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Dockerfile"), dockerfile.replace("BASE", ref));
        for (int i = 0; i + 1 < files.length; i += 2) {
            Path f = dir.resolve(files[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, files[i + 1]);
        }
        return dir;
    }

    /** Runs docker then berth with the same arguments and compares them. */
    static CliRun.Result same(String... args) {
        Processes.Result d = engine.docker(args);
        CliRun.Result b = berth(args);
        String what = String.join(" ", args);
        assertEquals(normalise(d.stdout()), normalise(b.out()), what + "\ndocker stderr: " + d.stderr() + "\nberth stderr: " + b.err());
        assertEquals(d.exitCode(), b.status(), what + "\ndocker: " + d.stderr() + "\nberth: " + b.err());
        if (d.exitCode() != 0) {
            String dockerErr = d.stderr().lines().filter(l -> !l.startsWith("DEPRECATED") && !l.isBlank()
                    && !l.startsWith("            ") && !l.contains("BuildKit")).findFirst().orElse("");
            assertEquals(normalise(dockerErr), normalise(b.err().lines().findFirst().orElse("")), what);
        }
        return b;
    }

    @Test
    void buildOutputMatchesDockerCold() throws Exception {
        Path ctx = context("buildg1", """
                FROM BASE
                ENV A=1
                COPY a.txt /a.txt
                RUN echo ran && cat /a.txt
                LABEL x=y
                CMD ["sh"]
                """, "a.txt", "hello\n", "skip.log", "no", ".dockerignore", "*.log\nDockerfile\n");
        CliRun.Result b = same("build", "--no-cache", "-t", "buildg1:a", "-t", "buildg1:b", ctx.toString());
        assertTrue(b.out().contains("Step 4/6 : RUN echo ran && cat /a.txt"), b.out());
        assertTrue(b.out().contains("\nran\nhello\n"), b.out());
        assertTrue(b.out().contains("Successfully tagged buildg1:b"), b.out());
        // cached: both print Using cache for every step
        CliRun.Result cached = same("build", "-t", "buildg1:a", ctx.toString());
        assertEquals(5, cached.out().split("Using cache", -1).length - 1, cached.out());
        // both CLIs' context tars give the COPY step the same sums: one cache, one image
        String byDocker = engine.docker("build", "-q", ctx.toString()).assertOk().stdout().strip();
        CliRun.Result byBerth = berth("build", "-q", ctx.toString());
        assertEquals(byDocker, byBerth.out().strip(), byBerth.toString());
    }

    @Test
    void quietIidfileArgsTargetAndFailure() throws Exception {
        Path ctx = context("buildg2", """
                FROM BASE AS first
                ARG WHO=nobody
                RUN echo "hi $WHO" > /who
                FROM BASE
                COPY --from=first /who /who
                """);
        same("build", "-q", "--build-arg", "WHO=you", "--build-arg", "UNUSED=1", ctx.toString());
        same("build", "--build-arg", "WHO=you", "--build-arg", "UNUSED=1", "--label", "l=v", "--target", "first", ctx.toString());
        Path iid = work.resolve("iid");
        CliRun.Result b = berth("build", "-q", "--iidfile", iid.toString(), "-t", "buildg2", ctx.toString());
        assertEquals(0, b.status(), b.toString());
        assertEquals(b.out().strip(), Files.readString(iid));
        assertEquals("hi nobody\n", engine.docker("run", "--rm", "buildg2", "cat", "/who").assertOk().stdout());

        Path failing = context("buildg3", """
                FROM BASE
                RUN echo before && false
                """);
        CliRun.Result f = same("build", failing.toString());
        assertEquals(1, f.status());
        assertTrue(f.err().contains("The command '/bin/sh -c echo before && false' returned a non-zero code: 1"), f.err());
        Path bad = context("buildg4", "FROM BASE\nFORM x\n");
        CliRun.Result p = same("build", bad.toString());
        assertTrue(p.err().contains("line 2"), p.err());
        same("build", "-f", work.resolve("nope").toString(), ctx.toString());
        assertEquals("", engine.docker("ps", "-aq").assertOk().stdout(), "no containers are left behind");
    }

    @Test
    void contextFromStdinAndDockerfileOutside() throws Exception {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(bytes)) {
            for (var f : List.of(Map.entry("Dockerfile", "FROM " + ref + "\nCOPY in.txt /in.txt\n"), Map.entry("in.txt", "tar\n"))) {
                byte[] data = f.getValue().getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry(f.getKey());
                e.setSize(data.length);
                t.putArchiveEntry(e);
                t.write(data);
                t.closeArchiveEntry();
            }
        }
        CliRun.Result b = new CliRun(null, home).env("DOCKER_HOST", engine.daemon().host()).stdin(bytes.toByteArray())
                .run("build", "-t", "buildg5", "-");
        assertEquals(0, b.status(), b.toString());
        assertEquals("tar\n", engine.docker("run", "--rm", "buildg5", "cat", "/in.txt").assertOk().stdout());

        Path ctx = context("buildg6", "FROM BASE\n", "f.txt", "F\n");
        Path outside = work.resolve("Other.Dockerfile");
        Files.writeString(outside, "FROM " + ref + "\nCOPY f.txt /f.txt\nRUN ls -a / | grep -c dockerfile || true\n");
        CliRun.Result o = berth("build", "-f", outside.toString(), "-t", "buildg6", ctx.toString());
        assertEquals(0, o.status(), o.toString());
        assertEquals("F\n", engine.docker("run", "--rm", "buildg6", "cat", "/f.txt").assertOk().stdout());
        assertFalse(engine.docker("run", "--rm", "buildg6", "ls", "-a", "/").assertOk().stdout().contains(".dockerfile"));
    }
}
