package dev.berth.cli;

import com.sun.net.httpserver.HttpServer;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker import} and {@code berth import} against a Berth daemon: an exported container comes
 * back as a runnable one-layer image with its changes and message; stdin (plain, gzip, bzip2, xz) and URL sources; a
 * garbage or hostile tarball is refused and leaves no image, layer or staging directory behind; a URL that
 * stalls mid-body fails after its idle timeout and never holds up an image removal meanwhile.
 */
class ImportEndToEndTest {
    static BusyboxOnBerth engine;
    static Path exported;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), home.resolve(".docker"));
        engine.docker("create", "--network", "none", "--name", "impsearch-src", engine.ref(), "true").assertOk();
        exported = home.resolve("fs.tar");
        engine.docker("export", "-o", exported.toString(), "impsearch-src").assertOk();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    static Processes.Result dockerStdin(byte[] stdin, String... args) {
        List<String> cmd = new ArrayList<>(List.of(Processes.requireBinary("docker")));
        cmd.addAll(List.of(args));
        return Processes.run(Map.of("DOCKER_HOST", engine.daemon().host(), "DOCKER_CONFIG", home.resolve(".docker").toString()),
                stdin, 120, cmd.toArray(String[]::new));
    }

    static CliRun.Result berth(byte[] stdin, String... args) {
        return new CliRun(null, home).env("DOCKER_HOST", engine.daemon().host()).systemClock().stdin(stdin).run(args);
    }

    @Test
    void exportedContainerImportsWithChangesAndMessageAndRuns() {
        var r = docker("import", "-c", "CMD [\"/bin/sh\"]", "-c", "ENV IMPSEARCH=1", "-m", "from export",
                exported.toString(), "impsearch/imp:one").assertOk();
        assertTrue(r.stdout().matches("sha256:[0-9a-f]{64}\n"), r.stdout());
        String id = r.stdout().strip();
        assertEquals(id, docker("image", "inspect", "-f", "{{.Id}}", "impsearch/imp:one").assertOk().stdout().strip());
        assertEquals("[/bin/sh] [IMPSEARCH=1] from export 1",
                docker("image", "inspect", "-f", "{{.Config.Cmd}} {{.Config.Env}} {{.Comment}} {{len .RootFS.Layers}}",
                        "impsearch/imp:one").assertOk().stdout().strip());
        assertEquals("from export", docker("history", "--format", "{{.Comment}}", "impsearch/imp:one").assertOk().stdout().strip());
        assertEquals("", docker("run", "--rm", "--network", "none", "impsearch/imp:one").assertOk().stdout());
        assertEquals("hi 1", docker("run", "--rm", "--network", "none", "impsearch/imp:one", "sh", "-c", "echo hi $IMPSEARCH")
                .assertOk().stdout().strip());
    }

    @Test
    void stdinPlainAndGzipWithDefaultComment() throws IOException {
        byte[] tar = Files.readAllBytes(exported);
        var plain = dockerStdin(tar, "import", "-", "impsearch/imp:stdin").assertOk();
        assertTrue(plain.stdout().startsWith("sha256:"), plain.stdout());
        assertEquals("Imported from -", docker("history", "--format", "{{.Comment}}", "impsearch/imp:stdin").assertOk().stdout().strip());
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(tar);
        }
        dockerStdin(gz.toByteArray(), "import", "-", "impsearch/imp:gzip").assertOk();
        assertEquals(docker("image", "inspect", "-f", "{{.RootFS.Layers}}", "impsearch/imp:stdin").assertOk().stdout(),
                docker("image", "inspect", "-f", "{{.RootFS.Layers}}", "impsearch/imp:gzip").assertOk().stdout(),
                "the same tar, compressed or not, is the same layer");
        assertEquals("ok", docker("run", "--rm", "--network", "none", "impsearch/imp:gzip", "echo", "ok").assertOk().stdout().strip());
    }

    @Test
    void stdinBzip2AndXzAreTheSameLayerAsPlain() throws IOException {
        byte[] tar = Files.readAllBytes(exported);
        dockerStdin(tar, "import", "-", "impsearch/imp:plain").assertOk();
        String layers = docker("image", "inspect", "-f", "{{.RootFS.Layers}}", "impsearch/imp:plain").assertOk().stdout();
        ByteArrayOutputStream bz2 = new ByteArrayOutputStream();
        try (var out = new BZip2CompressorOutputStream(bz2)) {
            out.write(tar);
        }
        ByteArrayOutputStream xz = new ByteArrayOutputStream();
        try (var out = new XZCompressorOutputStream(xz)) {
            out.write(tar);
        }
        dockerStdin(bz2.toByteArray(), "import", "-", "impsearch/imp:bzip2").assertOk();
        dockerStdin(xz.toByteArray(), "import", "-", "impsearch/imp:xz").assertOk();
        assertEquals(layers, docker("image", "inspect", "-f", "{{.RootFS.Layers}}", "impsearch/imp:bzip2").assertOk().stdout());
        assertEquals(layers, docker("image", "inspect", "-f", "{{.RootFS.Layers}}", "impsearch/imp:xz").assertOk().stdout());
    }

    @Test
    void urlSourceIsDownloadedByTheEngine() throws IOException {
        byte[] tar = Files.readAllBytes(exported);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/fs.tar", ex -> {
            ex.sendResponseHeaders(200, tar.length);
            try (var out = ex.getResponseBody()) {
                out.write(tar);
            }
        });
        server.start();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/fs.tar";
            docker("import", url, "impsearch/imp:url").assertOk();
            assertEquals("Imported from " + url,
                    docker("history", "--format", "{{.Comment}}", "impsearch/imp:url").assertOk().stdout().strip());
            var missing = docker("import", "http://127.0.0.1:" + server.getAddress().getPort() + "/nope.tar", "impsearch/imp:nope");
            assertNotEquals(0, missing.exitCode());
            assertTrue(missing.stderr().contains("404"), missing.stderr());
        } finally {
            server.stop(0);
        }
    }

    @Test
    void aStalledDownloadFailsWithinItsIdleTimeoutWithoutBlockingRemovals() throws Exception {
        byte[] tar = Files.readAllBytes(exported);
        dockerStdin(tar, "import", "-", "impsearch/imp:victim").assertOk();
        CountDownLatch halfSent = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.setExecutor(Executors.newCachedThreadPool());
        server.createContext("/stall.tar", ex -> {
            ex.sendResponseHeaders(200, tar.length);
            var out = ex.getResponseBody();
            out.write(tar, 0, tar.length / 2);
            out.flush();
            halfSent.countDown();
            try {
                release.await(120, TimeUnit.SECONDS); // stalls mid-body until the test is done with it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        server.start();
        System.setProperty("berth.import.idleTimeoutSeconds", "15");
        ExecutorService bg = Executors.newSingleThreadExecutor();
        try {
            String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/stall.tar";
            long t0 = System.nanoTime();
            Future<Processes.Result> stalled = bg.submit(() -> docker("import", url, "impsearch/imp:stall"));
            assertTrue(halfSent.await(60, TimeUnit.SECONDS), "the engine asked for the tarball");
            engine.dockerWithin(30, "rmi", "impsearch/imp:victim").assertOk();
            assertFalse(stalled.isDone(), "the removal finished while the download was still stalled, not after it");
            Processes.Result r = stalled.get(90, TimeUnit.SECONDS);
            long seconds = (System.nanoTime() - t0) / 1_000_000_000L;
            assertNotEquals(0, r.exitCode());
            assertTrue(r.stderr().contains("failed to GET " + url + ": i/o timeout: no data received for 15s"), r.stderr());
            assertTrue(seconds < 60, "bounded by the idle timeout: " + seconds + "s");
            assertNotEquals(0, docker("image", "inspect", "impsearch/imp:stall").exitCode(), "no image");
            assertNotEquals(0, docker("image", "inspect", "impsearch/imp:victim").exitCode(), "removed");
            try (var tmp = Files.list(engine.daemon().dataRoot().resolve("content").resolve("tmp"))) {
                assertTrue(tmp.noneMatch(p -> p.getFileName().toString().startsWith("import-")), "no download left");
            }
        } finally {
            System.clearProperty("berth.import.idleTimeoutSeconds");
            release.countDown();
            bg.shutdownNow();
            server.stop(0);
        }
    }

    @Test
    void garbageAndHostileTarballsLeaveNothingBehind() throws IOException {
        String before = docker("images", "-aq", "--no-trunc").assertOk().stdout();
        var garbage = dockerStdin("this is not a tarball at all\n".repeat(100).getBytes(StandardCharsets.UTF_8),
                "import", "-", "impsearch/imp:garbage");
        assertNotEquals(0, garbage.exitCode());
        assertTrue(garbage.stderr().contains("Error response from daemon"), garbage.stderr());

        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
            byte[] body = "escaped".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("../../impsearch-escape");
            e.setSize(body.length);
            tar.putArchiveEntry(e);
            tar.write(body);
            tar.closeArchiveEntry();
        }
        var hostile = dockerStdin(bytes.toByteArray(), "import", "-", "impsearch/imp:hostile");
        assertNotEquals(0, hostile.exitCode());
        assertTrue(hostile.stderr().contains("impsearch-escape"), hostile.stderr());

        var badChange = docker("import", "-c", "RUN true", exported.toString(), "impsearch/imp:run");
        assertTrue(badChange.stderr().contains("run is not a valid change command"), badChange.stderr());

        var berthGarbage = berth("not a tar".repeat(200).getBytes(StandardCharsets.UTF_8), "import", "-", "impsearch/imp:garbage");
        assertEquals(garbage.exitCode(), berthGarbage.status());
        assertEquals(garbage.stderr(), berthGarbage.err(), "berth says what docker says");

        assertEquals(before, docker("images", "-aq", "--no-trunc").assertOk().stdout(), "no image was added");
        try (var layers = Files.list(engine.daemon().dataRoot().resolve("layers"))) {
            assertTrue(layers.noneMatch(p -> p.getFileName().toString().startsWith(".staging-")), "no staging left");
        }
        try (var tmp = Files.list(engine.daemon().dataRoot().resolve("content").resolve("tmp"))) {
            assertTrue(tmp.noneMatch(p -> p.getFileName().toString().startsWith("import-")), "no import copy left");
        }
        assertTrue(Files.notExists(engine.daemon().dataRoot().resolve("impsearch-escape")));
    }

    @Test
    void berthImportPrintsWhatDockerImportPrints() {
        var d = docker("import", "-m", "same", "-c", "WORKDIR /tmp", exported.toString(), "impsearch/imp:docker").assertOk();
        var b = berth(new byte[0], "import", "-m", "same", "-c", "WORKDIR /tmp", exported.toString(), "impsearch/imp:berth");
        assertEquals(0, b.status(), b.err());
        assertTrue(b.out().matches("sha256:[0-9a-f]{64}\n"), b.out());
        assertEquals(b.out().strip(), docker("image", "inspect", "-f", "{{.Id}}", "impsearch/imp:berth").assertOk().stdout().strip());
        assertTrue(d.stdout().matches("sha256:[0-9a-f]{64}\n"), d.stdout());
        String fmt = "{{.Config.WorkingDir}} {{.Comment}} {{.RootFS.Layers}} {{.Os}}/{{.Architecture}}";
        assertEquals(docker("image", "inspect", "-f", fmt, "impsearch/imp:docker").assertOk().stdout(),
                docker("image", "inspect", "-f", fmt, "impsearch/imp:berth").assertOk().stdout());
        // As moby: an empty body is an empty tar, so an image with one empty layer.
        var empty = berth(new byte[0], "image", "import", "--platform", "linux/arm64", "-", "impsearch/imp:empty");
        assertEquals(0, empty.status(), empty.err());
        assertEquals("linux/arm64 1\n", docker("image", "inspect", "-f", "{{.Os}}/{{.Architecture}} {{len .RootFS.Layers}}",
                "impsearch/imp:empty").assertOk().stdout());
    }
}
