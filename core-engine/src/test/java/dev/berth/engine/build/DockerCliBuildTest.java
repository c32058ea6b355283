package dev.berth.engine.build;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code DOCKER_BUILDKIT=0 docker build} (the classic protocol) against Berth, from busybox built by the tests. */
class DockerCliBuildTest {
    static BusyboxOnBerth engine;
    static String base;
    @TempDir
    static Path config;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge("bb0", "10.63.0.0/24"), config);
        base = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", "bb0"))) {
                Processes.run(java.util.Map.of(), null, 10, "ip", "link", "del", "bb0");
            }
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    static Path context(String name, String dockerfile, String... files) throws IOException {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Dockerfile"), dockerfile.replace("BASE", base));
        for (int i = 0; i + 1 < files.length; i += 2) {
            Path f = dir.resolve(files[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, files[i + 1]);
        }
        return dir;
    }

    static void assertNoContainers() {
        String ps = docker("ps", "-aq").assertOk().stdout().strip();
        assertEquals("", ps, "build left containers behind");
    }

    @Test
    void metadataRunCopyAndWhiteouts() throws Exception {
        Path ctx = context("build1", """
                FROM BASE
                ENV GREETING=hello
                LABEL build.test="yes"
                WORKDIR /app/sub
                COPY a.txt ./
                RUN echo "$GREETING" > made.txt && echo x > /gone
                RUN rm /gone
                RUN echo 'app:x:1000:1000::/home/app:/bin/sh' >> /etc/passwd
                USER app
                EXPOSE 8080
                VOLUME /data
                CMD ["cat", "made.txt"]
                """, "a.txt", "A\n");
        var b = docker("build", "-t", "build1:latest", "-t", "build1:two", ctx.toString()).assertOk();
        String out = b.stdout();
        assertTrue(out.contains("Step 1/12 : FROM " + base), out);
        assertTrue(out.contains("Successfully built "), out);
        assertTrue(out.contains("Successfully tagged build1:latest"), out);
        assertTrue(out.contains("Successfully tagged build1:two"), out);
        assertEquals("hello\n", docker("run", "--rm", "--user", "0", "build1", "cat", "/app/sub/made.txt").assertOk().stdout());
        assertEquals("A\n", docker("run", "--rm", "build1", "cat", "/app/sub/a.txt").assertOk().stdout());
        var vi = docker("run", "--rm", "build1", "ls", "/gone");
        assertNotEquals(0, vi.exitCode(), "the RUN rm's whiteout hides the file");
        String cfg = docker("image", "inspect", "-f",
                "{{.Config.User}}|{{.Config.WorkingDir}}|{{json .Config.Cmd}}|{{json .Config.ExposedPorts}}|{{json .Config.Volumes}}|{{index .Config.Labels \"build.test\"}}",
                "build1").assertOk().stdout().strip();
        assertEquals("app|/app/sub|[\"cat\",\"made.txt\"]|{\"8080/tcp\":{}}|{\"/data\":{}}|yes", cfg);
        String history = docker("history", "--no-trunc", "--format", "{{.CreatedBy}}", "build1").assertOk().stdout();
        assertTrue(history.contains("/bin/sh -c #(nop)  CMD [\"cat\" \"made.txt\"]"), history);
        assertTrue(history.contains("/bin/sh -c echo \"$GREETING\" > made.txt && echo x > /gone"), history);
        assertNoContainers();
    }

    @Test
    void cacheHitsThenInvalidatesOnContentNotMtime() throws Exception {
        Path ctx = context("build2", """
                FROM BASE
                RUN echo one > /one
                COPY f.txt /f.txt
                RUN cat /f.txt > /g.txt
                """, "f.txt", "v1\n");
        String first = docker("build", "-q", ctx.toString()).assertOk().stdout().strip();
        var second = docker("build", ctx.toString()).assertOk();
        assertEquals(3, second.stdout().split("Using cache", -1).length - 1, second.stdout());
        assertTrue(second.stdout().contains("Successfully built " + first.substring(7, 19)), second.stdout());
        Files.setLastModifiedTime(ctx.resolve("f.txt"), FileTime.fromMillis(1_000_000));
        var touched = docker("build", ctx.toString()).assertOk();
        assertEquals(3, touched.stdout().split("Using cache", -1).length - 1, touched.stdout());
        Files.writeString(ctx.resolve("f.txt"), "v2\n");
        var changed = docker("build", "-t", "build2", ctx.toString()).assertOk();
        assertEquals(1, changed.stdout().split("Using cache", -1).length - 1, changed.stdout());
        assertEquals("v2\n", docker("run", "--rm", "build2", "cat", "/g.txt").assertOk().stdout());
        var nocache = docker("build", "--no-cache", ctx.toString()).assertOk();
        assertFalse(nocache.stdout().contains("Using cache"), nocache.stdout());
    }

    /**
     * {@code docker builder prune} on the classic cache: {@code --filter until=} removes only the entries
     * made before the limit; a filter or size limit the cache cannot apply is refused and nothing goes
     * (before, they were accepted and the whole cache was pruned).
     */
    @Test
    void builderPruneHonoursUntilAndRefusesWhatItCannotApply() throws Exception {
        Path ctx = context("prune-until", """
                FROM BASE
                RUN echo kept > /kept
                """);
        docker("build", "-q", "-t", "prune-until", ctx.toString()).assertOk();
        var olderLimit = docker("builder", "prune", "-f", "--filter", "until=1h").assertOk();
        assertTrue(olderLimit.stdout().contains("Total reclaimed space: 0B"), olderLimit.stdout());
        assertTrue(docker("build", ctx.toString()).assertOk().stdout().contains("Using cache"), "an entry younger than 1h went");

        var type = docker("builder", "prune", "-f", "--filter", "type=regular");
        assertNotEquals(0, type.exitCode());
        assertTrue(type.stderr().contains("filter 'type' is not supported by Berth's build cache"), type.stderr());
        var keep = docker("builder", "prune", "-f", "--keep-storage", "1MB");
        assertNotEquals(0, keep.exitCode());
        assertTrue(keep.stderr().contains("keeps no sizes per entry"), keep.stderr());
        var bad = docker("builder", "prune", "-f", "--filter", "until=yesterday");
        assertNotEquals(0, bad.exitCode());
        assertTrue(bad.stderr().contains("invalid until filter: yesterday"), bad.stderr());
        assertTrue(docker("build", ctx.toString()).assertOk().stdout().contains("Using cache"), "a refused prune removed entries");

        String now = java.time.Instant.now().plusSeconds(1).toString();
        docker("builder", "prune", "-f", "--filter", "until=" + now).assertOk();
        assertFalse(docker("build", ctx.toString()).assertOk().stdout().contains("Using cache"), "an entry made before the limit stayed");
    }

    @Test
    void multiStageTargetArgsAndIgnore() throws Exception {
        Path ctx = context("build3", """
                ARG IMG=BASE
                FROM ${IMG} AS builder
                ARG MSG=default
                RUN echo "$MSG" > /msg
                FROM BASE AS unused
                RUN exit 3
                FROM BASE
                COPY --from=builder /msg /copied/msg
                COPY . /ctx/
                """, ".dockerignore", "*.log\n!keep.log\n", "drop.log", "x", "keep.log", "k", "src/x.txt", "x");
        var b = docker("build", "--build-arg", "MSG=given", "--build-arg", "NOPE=1", "--build-arg", "HTTP_PROXY=http://p.invalid:1",
                "-t", "build3", ctx.toString()).assertOk();
        // a predefined proxy arg is never reported unused
        assertTrue(b.stdout().contains("[Warning] One or more build-args [NOPE] were not consumed"), b.stdout());
        assertFalse(b.stdout().contains("exit 3"), "an unneeded stage is not built: " + b.stdout());
        assertEquals("given\n", docker("run", "--rm", "build3", "cat", "/copied/msg").assertOk().stdout());
        String ls = docker("run", "--rm", "build3", "ls", "/ctx").assertOk().stdout();
        assertTrue(ls.contains("keep.log") && ls.contains("src") && !ls.contains("drop.log"), ls);
        var t = docker("build", "--target", "builder", "-t", "build3b", ctx.toString()).assertOk();
        assertFalse(t.stdout().contains("COPY --from"), t.stdout());
    }

    /**
     * RUN containers are on the default bridge (they reach a server on its gateway), unless
     * {@code --network} says otherwise: none has no route out, host sees the host's loopback.
     */
    @Test
    void runStepsUseTheDefaultBridgeOrTheNetworkAsked() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("0.0.0.0", 0), 0);
        com.sun.net.httpserver.HttpServer local = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        for (var s : java.util.List.of(server, local)) {
            s.createContext("/x", ex -> {
                byte[] body = "reached\n".getBytes(java.nio.charset.StandardCharsets.UTF_8);
                ex.sendResponseHeaders(200, body.length);
                try (var o = ex.getResponseBody()) {
                    o.write(body);
                }
            });
            s.start();
        }
        try {
            // nc, not wget: the host's static busybox crashes in wget's resolver inside an image without libc
            Path bridge = context("buildnet", "FROM BASE\nRUN " + fetch("10.63.0.1", server.getAddress().getPort()) + "\n");
            docker("build", "-t", "buildnet", bridge.toString()).assertOk();
            assertTrue(docker("run", "--rm", "buildnet", "cat", "/got").assertOk().stdout().endsWith("\nreached\n"));
            var none = docker("build", "--no-cache", "--network", "none", bridge.toString());
            assertNotEquals(0, none.exitCode(), "no network, no route: " + none.stdout());
            Path host = context("buildnethost", "FROM BASE\nRUN " + fetch("127.0.0.1", local.getAddress().getPort()) + "\n");
            docker("build", "--network", "host", "-t", "buildnethost", host.toString()).assertOk();
            assertTrue(docker("run", "--rm", "buildnethost", "cat", "/got").assertOk().stdout().endsWith("\nreached\n"));
        } finally {
            server.stop(0);
            local.stop(0);
        }
        assertNoContainers();
    }

    static String fetch(String ip, int port) {
        return "printf 'GET /x HTTP/1.0\\r\\n\\r\\n' | busybox nc -w 5 " + ip + " " + port + " > /got";
    }

    @Test
    void failingRunAndBadDockerfileLeaveNothing() throws Exception {
        Path bad = context("build4", """
                FROM BASE
                FORM x
                """);
        var b = docker("build", bad.toString());
        assertNotEquals(0, b.exitCode());
        assertTrue(b.stderr().contains("line 2") && b.stderr().toLowerCase().contains("unknown instruction"), b.stderr());
        Path failing = context("build5", """
                FROM BASE
                RUN echo before-fail && exit 4
                """);
        var f = docker("build", failing.toString());
        assertNotEquals(0, f.exitCode());
        assertTrue(f.stdout().contains("before-fail"), f.stdout());
        assertTrue(f.stderr().contains("returned a non-zero code: 4"), f.stderr());
        Path outside = context("build6", """
                FROM BASE
                COPY ../x /x
                """);
        var o = docker("build", outside.toString());
        assertNotEquals(0, o.exitCode());
        assertTrue(o.stderr().contains("outside the build context"), o.stderr());
        assertNoContainers();
    }
}
