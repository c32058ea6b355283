package dev.berth.engine.build;

import com.sun.net.httpserver.HttpServer;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.LocalRegistry;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The Dockerfile corpus of issue 4 not covered by {@link DockerCliBuildTest}, through the real docker CLI. */
class DockerCliBuildCorpusTest {
    static final String BRIDGE = "bbd0";
    static BusyboxOnBerth engine;
    static String base;
    @TempDir
    static Path config;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, "10.71.0.0/24"), config);
        base = engine.ref();
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

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    static String cat(String image, String path) {
        return docker("run", "--rm", "--user", "0", image, "cat", path).assertOk().stdout();
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

    @Test
    void heredocsRunAndCopy() throws Exception {
        Path ctx = context("buildh", """
                FROM BASE
                RUN <<EOF
                echo one > /h1
                echo two >> /h1
                EOF
                COPY <<EOT /etc/greeting
                hello heredoc
                EOT
                RUN cat <<A > /h2
                from cat
                A
                """);
        docker("build", "-t", "buildh", ctx.toString()).assertOk();
        assertEquals("one\ntwo\n", cat("buildh", "/h1"));
        assertEquals("hello heredoc\n", cat("buildh", "/etc/greeting"));
        assertEquals("from cat\n", cat("buildh", "/h2"));
    }

    @Test
    void onbuildTriggersRunInTheChild() throws Exception {
        Path parent = context("buildob1", """
                FROM BASE
                ONBUILD COPY f.txt /from-child.txt
                ONBUILD RUN echo triggered > /trig
                """);
        docker("build", "-t", "buildob-parent", parent.toString()).assertOk();
        assertEquals("[\"COPY f.txt /from-child.txt\",\"RUN echo triggered > /trig\"]",
                docker("image", "inspect", "-f", "{{json .Config.OnBuild}}", "buildob-parent").assertOk().stdout().strip());
        Path child = context("buildob2", "FROM buildob-parent\nLABEL child=1\n", "f.txt", "child file\n");
        var b = docker("build", "-t", "buildob-child", child.toString()).assertOk();
        assertTrue(b.stdout().contains("# Executing 2 build triggers"), b.stdout());
        assertEquals("child file\n", cat("buildob-child", "/from-child.txt"));
        assertEquals("triggered\n", cat("buildob-child", "/trig"));
        String onbuild = docker("image", "inspect", "-f", "{{json .Config.OnBuild}}", "buildob-child").assertOk().stdout().strip();
        assertTrue(onbuild.equals("null") || onbuild.equals("[]"), "triggers run once, not inherited: " + onbuild);
    }

    @Test
    void addExtractsLocalTarsAndFetchesUrls() throws Exception {
        Path ctx = context("buildadd", """
                FROM BASE
                ADD arch.tar /x/
                COPY arch.tar /copied/
                ADD http://127.0.0.1:PORT/remote.txt /dl/
                """);
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(ctx.resolve("arch.tar")))) {
            byte[] data = "in the tar\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("a/b.txt");
            e.setSize(data.length);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/remote.txt", ex -> {
            byte[] body = "over http\n".getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            try (OutputStream o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        try {
            Files.writeString(ctx.resolve("Dockerfile"),
                    Files.readString(ctx.resolve("Dockerfile")).replace("PORT", Integer.toString(server.getAddress().getPort())));
            docker("build", "-t", "buildadd", ctx.toString()).assertOk();
        } finally {
            server.stop(0);
        }
        assertEquals("in the tar\n", cat("buildadd", "/x/a/b.txt"));
        assertEquals("", docker("run", "--rm", "buildadd", "ls", "/copied/arch.tar").assertOk().stderr(), "COPY does not extract");
        assertEquals("over http\n", cat("buildadd", "/dl/remote.txt"));
        // docker gives a downloaded file mode 0600
        String ls = docker("run", "--rm", "buildadd", "sh", "-c", "ls -l /dl/remote.txt").assertOk().stdout();
        assertTrue(ls.startsWith("-rw-------"), ls);
    }

    @Test
    void argScopingUserWorkdirAndVolume() throws Exception {
        Path ctx = context("buildarg", """
                ARG TOP=top-default
                FROM BASE AS one
                RUN echo "[$TOP]" > /top-unseen
                ARG TOP
                RUN echo "[$TOP]" > /top-seen
                ARG LOCAL=one
                ENV SHADOW=env
                ARG SHADOW=arg
                RUN echo "$SHADOW" > /shadow
                FROM one
                RUN echo "[$LOCAL]" > /local-next-stage
                RUN echo "builduser:x:1234:1234::/home/builduser:/bin/sh" >> /etc/passwd && mkdir -p /made && chmod 777 /made
                USER builduser
                WORKDIR /made/by/workdir
                RUN id -u > /made/uid && pwd > /made/where
                VOLUME /vol
                """);
        docker("build", "--build-arg", "TOP=given", "-t", "buildarg", ctx.toString()).assertOk();
        assertEquals("[]\n", cat("buildarg", "/top-unseen"));
        assertEquals("[given]\n", cat("buildarg", "/top-seen"));
        assertEquals("env\n", cat("buildarg", "/shadow"));
        assertEquals("[]\n", cat("buildarg", "/local-next-stage"));
        assertEquals("1234\n", cat("buildarg", "/made/uid"));
        assertEquals("/made/by/workdir\n", cat("buildarg", "/made/where"));
        assertEquals("builduser|/made/by/workdir|{\"/vol\":{}}", docker("image", "inspect", "-f",
                "{{.Config.User}}|{{.Config.WorkingDir}}|{{json .Config.Volumes}}", "buildarg").assertOk().stdout().strip());
        Path wd = context("buildwd", "FROM BASE\nWORKDIR /only/workdir\n");
        docker("build", "-t", "buildwd", wd.toString()).assertOk();
        assertEquals("/only/workdir\n", docker("run", "--rm", "buildwd", "sh", "-c", "cd /only/workdir && pwd").assertOk().stdout());
    }

    @Test
    void pruneDropsTheCache() throws Exception {
        Path ctx = context("buildprune", """
                FROM BASE
                RUN echo cached > /c
                LABEL pruned=yes
                """);
        String top = docker("build", "-q", ctx.toString()).assertOk().stdout().strip();
        String step = docker("image", "inspect", "-f", "{{.Parent}}", top).assertOk().stdout().strip();
        assertTrue(step.startsWith("sha256:"), "the RUN step's image is the final one's parent: " + step);
        var again = docker("build", ctx.toString()).assertOk();
        assertTrue(again.stdout().contains("Using cache"), again.stdout());
        var pruned = docker("builder", "prune", "-f").assertOk();
        // the untagged final image goes, and its RUN step with it: both are listed, and space was reclaimed
        assertTrue(pruned.stdout().contains(top) && pruned.stdout().contains(step), pruned.stdout());
        assertFalse(pruned.stdout().contains("Total reclaimed space: 0B"), pruned.stdout());
        assertNotEquals(0, docker("image", "inspect", step).exitCode(), "the step image is gone");
        var after = docker("build", ctx.toString()).assertOk();
        assertFalse(after.stdout().contains("Using cache"), after.stdout());
        assertTrue(after.stdout().contains("Running in"), after.stdout());
    }

    /**
     * A base image in a registry that wants a password: without a login the build's pull is refused; after
     * {@code docker login} the CLI sends its credentials in {@code X-Registry-Config} and the build pulls
     * with them. A newer push under the same tag is not seen until {@code --pull}.
     */
    @Test
    void privateBaseImageThroughXRegistryConfigAndPull() throws Exception {
        try (LocalRegistry reg = LocalRegistry.start(LocalRegistry.Mode.HTPASSWD)) {
            String ref = reg.push(TestImages.busybox(TestImages.Options.defaults().withHello("private v1\n")), "build5/private:1");
            Path ctx = context("buildpriv", "FROM " + ref + "\nRUN cat /etc/hello > /seen\n");
            var denied = docker("build", "-t", "buildpriv", ctx.toString());
            assertNotEquals(0, denied.exitCode(), denied.stdout());
            assertEquals("", docker("ps", "-aq").assertOk().stdout().strip());
            var login = docker("login", "-u", LocalRegistry.USER, "-p", LocalRegistry.PASSWORD, reg.host());
            assertEquals(0, login.exitCode(), login.stderr());
            try {
                docker("build", "-t", "buildpriv", ctx.toString()).assertOk();
                assertEquals("private v1\n", cat("buildpriv", "/seen"));
                reg.push(TestImages.busybox(TestImages.Options.defaults().withHello("private v2\n")), "build5/private:1");
                var cached = docker("build", "-t", "buildpriv", ctx.toString()).assertOk();
                assertTrue(cached.stdout().contains("Using cache"), "the local base is used: " + cached.stdout());
                assertEquals("private v1\n", cat("buildpriv", "/seen"));
                var pulled = docker("build", "--pull", "-t", "buildpriv", ctx.toString()).assertOk();
                assertFalse(pulled.stdout().contains("Using cache"), "a new base invalidates the RUN: " + pulled.stdout());
                assertEquals("private v2\n", cat("buildpriv", "/seen"));
            } finally {
                docker("logout", reg.host());
            }
        }
    }

    @Test
    void copyWhiteoutsAndContentInvalidation() throws Exception {
        Path ctx = context("buildwo", """
                FROM BASE
                COPY d/ /d/
                RUN rm /d/gone && ls /d > /listing
                COPY --chmod=0640 --chown=12:34 d/kept /chm
                ADD --chmod=700 d/ /chmd/
                """, "d/gone", "x", "d/kept", "y");
        docker("build", "-t", "buildwo", ctx.toString()).assertOk();
        assertEquals("kept\n", cat("buildwo", "/listing"));
        // --chmod (BuildKit's flag; dockerd 20.10's classic builder refuses it, so no comparison) with --chown
        assertEquals("640 12:34\n700\n", docker("run", "--rm", "buildwo", "busybox", "stat", "-c", "%a %u:%g", "/chm").assertOk().stdout()
                + docker("run", "--rm", "buildwo", "busybox", "stat", "-c", "%a", "/chmd/kept").assertOk().stdout());
        assertNotEquals(0, docker("run", "--rm", "buildwo", "ls", "/d/gone").exitCode());
        String save = docker("history", "--no-trunc", "-q", "buildwo").assertOk().stdout();
        assertFalse(save.isBlank());
    }

    @Test
    void aClientThatDisconnectsCancelsTheRunStep() throws Exception {
        Path ctx = context("buildcancel", "FROM BASE\nRUN echo started && sleep 60\n");
        String imagesBefore = docker("images", "-aq", "--no-trunc").assertOk().stdout();
        java.io.ByteArrayOutputStream tar = new java.io.ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(tar)) {
            byte[] data = Files.readAllBytes(ctx.resolve("Dockerfile"));
            TarArchiveEntry e = new TarArchiveEntry("Dockerfile");
            e.setSize(data.length);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        var client = dev.berth.engine.client.EngineClient.create(dev.berth.engine.client.EngineEndpoint.parse(engine.daemon().host()));
        var opts = new dev.berth.engine.client.BuildClient.Options(java.util.List.of(), null, Map.of(), Map.of(), null, false, false,
                false, true, false, null, null);
        long deadline = System.nanoTime() + 60_000_000_000L;
        try (var stream = client.builds().build(new java.io.ByteArrayInputStream(tar.toByteArray()), opts, null, n -> { })) {
            while (stream.hasNext()) {
                var m = stream.next();
                if (m.stream() != null && m.stream().contains("started")) {
                    break;
                }
            }
        }
        String left = "?";
        while (System.nanoTime() < deadline) {
            left = docker("ps", "-aq").assertOk().stdout().strip();
            if (left.isEmpty()) {
                break;
            }
            Thread.sleep(200);
        }
        assertEquals("", left, "the step container is killed and removed");
        assertTrue(System.nanoTime() < deadline);
        assertEquals(imagesBefore, docker("images", "-aq", "--no-trunc").assertOk().stdout(), "no image is registered");
    }
}
