package dev.berth.engine.build;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.PrivateDockerd;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.Json;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The same Dockerfiles built by Berth and by the Docker engine's classic builder (a private dockerd from
 * Debian's docker.io, started and stopped here), from the same busybox image (saved from Berth, loaded into
 * dockerd: nothing from the network). The images must have the same config and the same file tree.
 */
class DockerEngineBuildComparisonTest {
    static final String BRIDGE = "br89a";
    /** The config fields a build sets; the rest (Hostname, Image, ArgsEscaped…) are engine bookkeeping. */
    static final List<String> FIELDS = List.of("Env", "Cmd", "Entrypoint", "WorkingDir", "User", "ExposedPorts",
            "Labels", "Volumes", "Shell", "StopSignal", "Healthcheck", "OnBuild");
    static BusyboxOnBerth berth;
    static PrivateDockerd dockerd;
    static String busybox;
    @TempDir
    static Path config;
    @TempDir
    static Path work;

    /**
     * The corpus, built and compared concurrently from {@link #start()} (one build after another took
     * a minute); each test waits for its entries and reports their failures. Names are the image names.
     */
    static final Map<String, CompletableFuture<Void>> corpus = new ConcurrentHashMap<>();
    static ExecutorService pool;
    /** Runs the corpus entries; -Dbuild3.serial=true runs them one by one, to measure what concurrency buys. */
    static ExecutorService corpusPool;

    interface Step {
        void run() throws Exception;
    }

    static void schedule(String name, String after, Step step) {
        CompletableFuture<Void> before = after == null ? CompletableFuture.completedFuture(null) : corpus.get(after);
        corpus.put(name, before.thenRunAsync(() -> {
            long t0 = System.nanoTime();
            try {
                step.run();
            } catch (Exception e) {
                throw new CompletionException(e);
            } finally {
                System.err.printf("corpus %s: %.1f s%n", name, (System.nanoTime() - t0) / 1e9);
            }
        }, corpusPool));
    }

    /** Rethrows what went wrong in the named entries (an assertion failure stays one). */
    static void await(String... names) throws Throwable {
        for (String n : names) {
            try {
                corpus.get(n).join();
            } catch (CompletionException e) {
                throw e.getCause() instanceof CompletionException c && c.getCause() != null ? c.getCause() : e.getCause();
            }
        }
    }

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        long t0 = System.nanoTime();
        pool = Executors.newCachedThreadPool();
        // Four at a time: builds wait mostly on the engines (dockerd commits every step through a
        // container), so they overlap well, while twenty at once only thrash a two-core machine.
        corpusPool = Executors.newFixedThreadPool(Boolean.getBoolean("build3.serial") ? 1 : 4);
        // dockerd starts while Berth does; whatever happens, @AfterAll gets both to close
        Future<PrivateDockerd> starting = pool.submit(PrivateDockerd::start);
        try {
            berth = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, "10.89.1.0/24"), config);
        } finally {
            try {
                dockerd = starting.get();
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception x ? x : new RuntimeException(e.getCause());
            }
        }
        busybox = berth.ref();
        Path saved = work.resolve("busybox.tar");
        berth.docker("save", "-o", saved.toString(), busybox).assertOk();
        dockerd.docker("load", "-i", saved.toString()).assertOk();
        // Every applet and a passwd/group with names, so the corpus can use them; itself a comparison.
        build("base", """
                FROM BUSYBOX
                RUN busybox --install -s /bin
                RUN printf 'root:x:0:0:root:/root:/bin/sh\\napp:x:1000:1000:app:/home/app:/bin/sh\\n' > /etc/passwd \\
                 && printf 'root:x:0:\\napp:x:1000:\\nstaff:x:50:app\\n' > /etc/group
                """);
        System.err.printf("comparison setup: %.1f s%n", (System.nanoTime() - t0) / 1e9);
        scheduleCorpus();
        // The tests run once nothing builds any more: badInput… counts containers.
        CompletableFuture.allOf(corpus.values().toArray(CompletableFuture[]::new)).exceptionally(e -> null).join();
    }

    @AfterAll
    static void stop() throws Exception {
        if (pool != null) {
            pool.shutdownNow();
            corpusPool.shutdownNow();
        }
        try {
            if (dockerd != null) {
                dockerd.close();
            }
        } finally {
            try {
                if (berth != null) {
                    berth.close();
                }
            } finally {
                if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                    Processes.run(Map.of(), null, 10, "ip", "link", "del", BRIDGE);
                }
            }
        }
    }

    static Path context(String name, String dockerfile, String... files) throws IOException {
        Path dir = work.resolve(name);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("Dockerfile"), dockerfile.replace("BUSYBOX", busybox));
        for (int i = 0; i + 1 < files.length; i += 2) {
            Path f = dir.resolve(files[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, files[i + 1]);
        }
        return dir;
    }

    /** Builds the context on both engines as build2-NAME, with the same CLI flags. */
    static void build(String name, String dockerfile, String... files) throws IOException {
        buildContext(name, context(name, dockerfile, files));
    }

    static void buildContext(String name, Path ctx, String... flags) {
        List<String> args = new ArrayList<>(List.of("build", "--network", "none", "-t", "build2-" + name));
        args.addAll(List.of(flags));
        args.add(ctx.toString());
        // Both engines at once: the class has to stay within its time budget.
        var df = CompletableFuture.supplyAsync(() -> dockerd.docker(args.toArray(String[]::new)), pool);
        var b = berth.docker(args.toArray(String[]::new));
        var d = df.join();
        assertEquals(0, d.exitCode(), "dockerd: " + d.stdout() + d.stderr());
        assertEquals(0, b.exitCode(), "berth: " + b.stdout() + b.stderr());
    }

    /** Builds, then compares the config fields, the history and the file tree of both images. */
    static void compare(String name, String dockerfile, String... files) throws IOException {
        build(name, dockerfile, files);
        assertSameImage(name);
    }

    static void assertSameImage(String name) throws IOException {
        String image = "build2-" + name;
        JsonNode d = inspect(dockerd::docker, image);
        JsonNode b = inspect(berth::docker, image);
        List<String> diffs = new ArrayList<>();
        for (String f : FIELDS) {
            JsonNode dv = normalize(d.path("Config").get(f));
            JsonNode bv = normalize(b.path("Config").get(f));
            if (!dv.equals(bv)) {
                diffs.add("Config." + f + ": docker=" + dv + " berth=" + bv);
            }
        }
        Path ds = work.resolve(name + "-docker.tar");
        Path bs = work.resolve(name + "-berth.tar");
        var saving = CompletableFuture.supplyAsync(() -> dockerd.docker("save", "-o", ds.toString(), image), pool);
        berth.docker("save", "-o", bs.toString(), image).assertOk();
        saving.join().assertOk();
        diffs.addAll(ImageTree.differences(ImageTree.of(ds), ImageTree.of(bs)));
        diffs.addAll(BuildHistory.differences(BuildHistory.of(dockerd::docker, image), BuildHistory.of(berth::docker, image)));
        if (!diffs.isEmpty()) {
            fail(image + " differs from the Docker engine's:\n" + String.join("\n", diffs));
        }
    }

    static JsonNode inspect(Function<String[], Processes.Result> docker, String image) throws IOException {
        return Json.MAPPER.readTree(docker.apply(new String[]{"image", "inspect", "-f", "{{json .}}", image}).assertOk().stdout());
    }

    /** null, [] and {} all mean "not set" in docker's inspect output. */
    static JsonNode normalize(JsonNode n) {
        if (n == null || n.isNull() || (n.isContainerNode() && n.isEmpty()) || (n.isTextual() && n.asText().isEmpty())) {
            return Json.MAPPER.nullNode();
        }
        return n;
    }

    static void multiStageCopyFromWithArgScopingBuild() throws Exception {
        compare("multi", """
                ARG V=outer
                ARG UNUSED_HERE=x
                FROM build2-base AS build
                ARG V
                RUN mkdir -p /out/sub /out/empty && echo "v=$V" > /out/sub/f && ln -s f /out/sub/link \\
                 && chmod 0600 /out/sub/f && ln /out/sub/f /out/sub/hard && echo 1 > /build2-rc1 && echo 2 > /build2-rc2
                FROM build2-base
                ARG V=inner
                ENV FROMARG=$V OUTER=${UNUSED_HERE:-unset}
                COPY --from=build /out /app
                COPY --from=build --chown=app:staff /out/sub/f /owned
                COPY --from=build --chown=1234 /out/sub /numeric/
                RUN echo "$V" > /argv
                COPY --from=build /build2-rc1 /build2-rc2 /
                """);
        assertFalse(Files.exists(Path.of("/build2-rc1")), "COPY of several files into / wrote onto the host's root");
    }

    static void dockerignoreExceptionsAndCopyFormsBuild() throws Exception {
        Path ctx = context("ignore", """
                FROM build2-base
                COPY . /ctx
                COPY *.txt /globbed/
                COPY sub /subcontents
                COPY run.sh /usr/local/bin/
                ADD arch.tar /extracted/
                COPY link /copied-link
                """,
                ".dockerignore", "*.log\n!keep.log\n**/tmp\n/sub/skip.txt\n./other.md\n",
                "a.txt", "a\n", "b.txt", "bb\n", "a.log", "log\n", "keep.log", "keep\n", "x/tmp/y", "y\n",
                "sub/skip.txt", "skip\n", "sub/ok.txt", "ok\n", "sub/deeper/z", "z\n", "other.md", "md\n", "run.sh", "#!/bin/sh\n");
        Files.setPosixFilePermissions(ctx.resolve("run.sh"), PosixFilePermissions.fromString("rwxr-x---"));
        Files.createSymbolicLink(ctx.resolve("link"), Path.of("a.txt"));
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(ctx.resolve("arch.tar")))) {
            byte[] data = "in the tar\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry dir = new TarArchiveEntry("d/");
            dir.setMode(040700);
            t.putArchiveEntry(dir);
            t.closeArchiveEntry();
            TarArchiveEntry e = new TarArchiveEntry("d/b.txt");
            e.setSize(data.length);
            e.setIds(123, 456);
            e.setMode(0100604);
            t.putArchiveEntry(e);
            t.write(data);
            t.closeArchiveEntry();
        }
        buildContext("ignore", ctx);
        assertSameImage("ignore");
    }

    /** Then whiteouts on top of it: one chain, so the class stays fast. */
    static void userByNameWorkdirVolumesThenWhiteoutsBuild() throws Exception {
        compare("user", """
                FROM build2-base
                WORKDIR /home/app/work/deep
                RUN touch mine && id > ids
                USER app
                WORKDIR rel
                USER app:staff
                RUN id > /tmp/ids-app 2>/dev/null || true
                VOLUME /data /logs
                VOLUME ["/more", "/data"]
                """);
        compare("whiteout", """
                FROM build2-user
                USER root
                RUN mkdir -p /d/sub /e && echo x > /d/sub/f && echo y > /d/keep && echo z > /etc/zap && echo w > /e/w
                RUN rm -rf /d/sub /etc/zap /bin/echo /etc/hello && rm -rf /e && mkdir /e && echo new > /e/n
                RUN chmod 0700 /d && chown 1000:50 /d/keep
                """);
    }

    static void metadataInstructionsBuild() throws Exception {
        compare("meta", """
                FROM build2-base
                MAINTAINER someone
                ENV A=1 B="two words" C=${A}x
                ENV D e f
                LABEL l1=v1 "l 2"="v 2"
                LABEL multi=a\\
                b
                EXPOSE 80 443/tcp 53/udp 8000-8001
                SHELL ["/bin/sh", "-c", "-e"]
                RUN echo "$A $B" > /env.txt
                STOPSIGNAL SIGUSR1
                HEALTHCHECK --interval=5s --timeout=2s --retries=4 --start-period=1s CMD cat /env.txt
                ONBUILD RUN echo child > /onbuilt
                ENTRYPOINT ["/bin/sh", "-c"]
                CMD echo hi
                """);
        compare("onbuild", "FROM build2-meta\nLABEL child=1\n");
    }

    static void cmdShellBuild() throws Exception {
        compare("cmdshell", """
                FROM build2-base
                ENTRYPOINT top -b
                CMD ["ignored"]
                HEALTHCHECK NONE
                """);
    }

    @Test
    void badInputFailsAsDockerDoesAndLeavesNothing() throws Exception {
        Path failing = context("failrun", """
                FROM build2-base
                RUN echo before-fail && exit 4
                """);
        List<String> args = List.of("build", "--network", "none", failing.toString());
        var d = dockerd.docker(args.toArray(String[]::new));
        var b = berth.docker(args.toArray(String[]::new));
        assertEquals(4, d.exitCode(), "the docker CLI exits with the RUN's code (errorDetail.code): " + d.stderr());
        assertEquals(d.exitCode(), b.exitCode(), b.stdout() + b.stderr());
        assertTrue(b.stdout().contains("before-fail"), "the step's output comes before the error: " + b.stdout());
        assertTrue(b.stderr().contains("The command '/bin/sh -c echo before-fail && exit 4' returned a non-zero code: 4"), b.stderr());
        assertEquals("", berth.docker("ps", "-aq").assertOk().stdout().strip(), "the failed step's container is removed");

        Path outside = context("outside", "FROM build2-base\nCOPY ../x /x\n");
        var od = dockerd.docker("build", outside.toString());
        var ob = berth.docker("build", outside.toString());
        assertEquals(od.exitCode(), ob.exitCode(), ob.stderr());
        assertTrue(ob.stderr().contains("outside the build context"), ob.stderr());
        Path missing = context("missing", "FROM build2-base\nCOPY nothere /x\n");
        var md = dockerd.docker("build", missing.toString());
        var mb = berth.docker("build", missing.toString());
        assertEquals(md.exitCode(), mb.exitCode(), mb.stderr());
        assertTrue(mb.stderr().contains("nothere"), mb.stderr());

        // Context tars that try to leave the build's directory: a 400 with a message, nothing written outside.
        String marker = "build2-escape-" + ProcessHandle.current().pid();
        for (String[] entries : List.of(new String[]{"../" + marker}, new String[]{"/tmp/" + marker},
                new String[]{"lnk->/tmp", "lnk/" + marker}, new String[]{"a/../../" + marker})) {
            Path tar = work.resolve("escape.tar");
            try (TarArchiveOutputStream t = new TarArchiveOutputStream(Files.newOutputStream(tar))) {
                byte[] df = "FROM build2-base\n".getBytes(StandardCharsets.UTF_8);
                TarArchiveEntry e = new TarArchiveEntry("Dockerfile");
                e.setSize(df.length);
                t.putArchiveEntry(e);
                t.write(df);
                t.closeArchiveEntry();
                for (String name : entries) {
                    if (name.contains("->")) {
                        TarArchiveEntry l = new TarArchiveEntry(name.substring(0, name.indexOf("->")), TarArchiveEntry.LF_SYMLINK);
                        l.setLinkName(name.substring(name.indexOf("->") + 2));
                        t.putArchiveEntry(l);
                        t.closeArchiveEntry();
                        continue;
                    }
                    TarArchiveEntry f = new TarArchiveEntry(name, true);
                    f.setSize(2);
                    t.putArchiveEntry(f);
                    t.write("x\n".getBytes(StandardCharsets.UTF_8));
                    t.closeArchiveEntry();
                }
            }
            var r = Processes.run(Map.of(), null, 60, "curl", "-s", "-o", "/dev/stderr", "-w", "%{http_code}",
                    "--unix-socket", berth.daemon().socket().toString(), "-X", "POST", "-H", "Content-Type: application/x-tar",
                    "--data-binary", "@" + tar, "http://d/build?t=build2-escape");
            String entriesText = String.join(", ", entries);
            if (entriesText.contains("..")) {
                // moby's breakout check; an absolute name or a symlink stays inside, as under moby's chroot untar
                assertTrue(r.stdout().startsWith("4"), entriesText + ": " + r.stdout() + " " + r.stderr());
                assertTrue(r.stderr().contains("\"message\""), entriesText + ": no message: " + r.stderr());
            }
            assertFalse(Files.exists(Path.of("/tmp", marker)), entriesText + " wrote outside the context");
            try (var found = Files.find(berth.daemon().dataRoot(), 6, (p, a) -> p.getFileName().toString().equals(marker))) {
                List<Path> l = found.toList();
                assertTrue(l.isEmpty(), entriesText + " left " + l);
            }
        }
        assertEquals("", berth.docker("ps", "-aq").assertOk().stdout().strip());
    }

    /**
     * The classic builder's step images: each step's image is the next one's Parent, so plain
     * {@code docker images} hides them and {@code -a} shows them as {@code <none>}; rmi of the final
     * image takes its untagged parents; prune leaves out untagged parents and takes a dangling image's
     * steps with it. Every count is dockerd's; the label scopes the listings to this test's images.
     */
    static void intermediateStepImagesAsDockerdBuild() throws Exception {
        String df = """
                FROM build2-base
                LABEL build3-steps=1
                RUN echo a > /a
                ENV X=1
                COPY f /f
                CMD ["sh"]
                """;
        Path ctx = context("steps", df, "f", "one\n");
        buildContext("steps", ctx);
        for (var docker : engines()) {
            String top = docker.apply(new String[]{"image", "inspect", "-f", "{{.Id}}", "build2-steps"}).assertOk().stdout().strip();
            String base = docker.apply(new String[]{"image", "inspect", "-f", "{{.Id}}", "build2-base"}).assertOk().stdout().strip();
            // LABEL, RUN, ENV, COPY under CMD: five steps, each the parent of the next, down to the base
            List<String> chain = parentChain(docker, top, base);
            assertEquals(6, chain.size(), "parent chain " + chain);
            assertEquals(base, chain.getLast(), "the first step's parent is the FROM image");
            var refused = docker.apply(new String[]{"rmi", chain.get(1)});
            assertEquals(1, refused.exitCode(), refused.stdout());
            assertTrue(refused.stderr().contains("(cannot be forced) - image has dependent child images"), refused.stderr());
            // history names each step's image down the chain, <missing> below the base's own top entry
            List<String> ids = lines(docker.apply(new String[]{"history", "--no-trunc", "-q", "build2-steps"}).assertOk());
            assertEquals(chain, ids.subList(0, 6));
        }
        assertSameListing("images", "--filter", "label=build3-steps=1", "--format", "{{.Repository}}:{{.Tag}}");
        assertSameListing("images", "-a", "--filter", "label=build3-steps=1", "--format", "{{.Repository}}:{{.Tag}}");
        assertSameListing("images", "-a", "--filter", "dangling=true", "--filter", "label=build3-steps=1", "--format", "{{.Repository}}:{{.Tag}}");

        // A changed file: the old final image dangles with its own COPY and CMD steps under it.
        Files.writeString(ctx.resolve("f"), "two\n");
        buildContext("steps", ctx);
        assertSameListing("images", "--filter", "dangling=true", "--filter", "label=build3-steps=1", "--format", "{{.Repository}}:{{.Tag}}");
        assertSameListing("images", "-a", "--filter", "label=build3-steps=1", "--format", "{{.Repository}}:{{.Tag}}");
        assertSameOutcome("image", "prune", "-f", "--filter", "label=build3-steps=1");
        assertSameListing("images", "-a", "--filter", "label=build3-steps=1", "--format", "{{.Repository}}:{{.Tag}}");

        assertSameOutcome("rmi", "build2-steps");
        for (var docker : engines()) {
            assertEquals(List.of(), lines(docker.apply(new String[]{"images", "-a", "-q", "--filter", "label=build3-steps=1"}).assertOk()),
                    "rmi took the untagged steps with it");
        }
    }

    static List<Function<String[], Processes.Result>> engines() {
        return List.of(dockerd::docker, berth::docker);
    }

    /** id, its Parent, that one's Parent … until stopAt (or no parent, or more than 6). */
    static List<String> parentChain(Function<String[], Processes.Result> docker, String id, String stopAt) {
        List<String> chain = new ArrayList<>(List.of(id));
        while (!chain.getLast().equals(stopAt)) {
            String p = docker.apply(new String[]{"image", "inspect", "-f", "{{.Parent}}", chain.getLast()}).assertOk().stdout().strip();
            if (p.isEmpty()) {
                break;
            }
            chain.add(p);
            if (chain.size() > 6) {
                break;
            }
        }
        return chain;
    }

    static List<String> lines(Processes.Result r) {
        return r.stdout().lines().filter(l -> !l.isBlank()).toList();
    }

    /** Both engines list the same lines, in any order (IDs and dates differ, so formats leave them out). */
    static void assertSameListing(String... args) {
        List<String> d = new ArrayList<>(lines(dockerd.docker(args).assertOk()));
        List<String> b = new ArrayList<>(lines(berth.docker(args).assertOk()));
        d.sort(null);
        b.sort(null);
        assertEquals(d, b, "docker " + String.join(" ", args));
    }

    /** Same exit code and the same count of each kind of line (Untagged:, Deleted: …), IDs aside. */
    static void assertSameOutcome(String... args) {
        var d = dockerd.docker(args);
        var b = berth.docker(args);
        assertEquals(d.exitCode(), b.exitCode(), b.stderr());
        Function<String, Map<String, Long>> kinds = out -> out.lines().filter(l -> !l.isBlank())
                .map(l -> l.replaceAll("sha256:[0-9a-f]{64}", "ID").replaceAll("Total reclaimed space: .*", "Total reclaimed space"))
                .collect(java.util.stream.Collectors.groupingBy(l -> l, java.util.TreeMap::new, java.util.stream.Collectors.counting()));
        assertEquals(kinds.apply(d.stdout()), kinds.apply(b.stdout()), "docker " + String.join(" ", args)
                + "\ndockerd:\n" + d.stdout() + "\nberth:\n" + b.stdout());
    }

    /**
     * Parser and dispatcher corners, dockerd as the oracle: mixed VOLUME forms, legacy LABEL, quoting and
     * escapes, continuation lines with comments, blanks and trailing blanks, lowercase instructions,
     * several ARGs at once, empty values, CMD kept by a later ENTRYPOINT, absolute WORKDIRs kept as
     * written, HEALTHCHECK's history text. Then what both refuse.
     */
    static void edgeBuild() throws Exception {
        compare("edge", """
                FROM build2-base
                VOLUME /data ["/logs"]
                VOLUME ["/a b", "/c"]
                VOLUME /d\\ e
                LABEL legacy value with spaces
                ENV A= B="x" C='y z'
                EXPOSE 80/TCP 8000-8001/udp
                ENTRYPOINT []
                CMD []
                label a=b
                Env X=1
                ARG M1=1 M2=2
                ENV M=$M1$M2
                STOPSIGNAL 9
                HEALTHCHECK --interval=1m30s --retries=10 CMD ["x", "y"]
                """);
    }

    static void edge2Build() throws Exception {
        compare("edge2", """
                FROM build2-base
                ENV X2=a\\ b Y=c\\\\d
                LABEL "q"=b 'c d'=e
                LABEL a1=1 \\
                # a comment inside
                  b1=2 \\

                  c1=3
                LABEL t1=1 \\  \s
                  t2=2
                ENV PATH=$PATH:/x
                MAINTAINER "a b" <x@y>
                """);
    }

    static void edge3Build() throws Exception {
        compare("edge3", """
                FROM build2-base
                ENV X=1
                ENV P=99
                EXPOSE $P ${P}0/udp
                LABEL e1= e2=""
                ARG X
                ENV Y2=${X:-def} Z=${X:+alt}
                ENV A=1 A=2
                SHELL ["sh", "-xc"]
                CMD echo "$HOME"
                ENTRYPOINT ["a"]
                WORKDIR /a/../b/./c
                WORKDIR rel/../x
                USER 1000:1000
                USER ""
                """);
    }

    /** With {@code # escape=`} a backslash in COPY's words is a plain character, as in the rest. */
    static void backtickBuild() throws Exception {
        compare("backtick", """
                # escape=`
                FROM build2-base
                LABEL a=c:\\dir `
                  b=2
                ENV W=c:\\x\\y
                COPY a\\b.txt /bs/
                COPY a\\b.txt `
                  /bs2/
                """, "a\\b.txt", "backslash\n");
    }

    /**
     * ADD from a URL (a local HTTP server; both daemons fetch it themselves), a source whose value holds a
     * space (one word, as moby expands COPY's words), --chown with a directory source, a glob matching a
     * file and a directory (history's multi: hash), a symlinked directory, an empty file, and a
     * .dockerignore excluding itself and the Dockerfile (the CLI sends both; the daemon drops them), and an
     * undeclared proxy build arg seen by RUN.
     */
    static void urlAndWordsBuild() throws Exception {
        com.sun.net.httpserver.HttpServer server = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/remote.txt", ex -> {
            byte[] body = "over http\n".getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("Last-Modified", "Wed, 21 Oct 2015 07:28:00 GMT");
            ex.sendResponseHeaders(200, body.length);
            try (var o = ex.getResponseBody()) {
                o.write(body);
            }
        });
        server.start();
        try {
            Path ctx = context("url", """
                    FROM build2-base
                    ARG F="a b.txt"
                    COPY $F /sp/
                    ADD http://127.0.0.1:PORT/remote.txt /dl/
                    ADD http://127.0.0.1:PORT/remote.txt /dl2/named
                    COPY --chown=app sub/ /owned/
                    COPY s* /globbed/
                    COPY linkdir /viadirlink/
                    COPY empty /empty
                    COPY . /all/
                    RUN echo "[$http_proxy]" > /proxy
                    """.replace("PORT", Integer.toString(server.getAddress().getPort())),
                    "a b.txt", "spaced\n", "sub/x", "x\n", "sub/deeper/y", "y\n", "sa.txt", "sa\n", "empty", "",
                    ".dockerignore", "Dockerfile\n.dockerignore\n");
            Files.createSymbolicLink(ctx.resolve("linkdir"), Path.of("sub"));
            // a predefined arg reaches RUN undeclared, without showing in history (same file size, same history)
            buildContext("url", ctx, "--build-arg", "http_proxy=http://proxy.invalid:3128");
            assertSameImage("url");
        } finally {
            server.stop(0);
        }
    }

    /**
     * {@code -f} naming a Dockerfile outside the context: the docker CLI appends it to the context tar
     * under a random name, and that tar ends right after the last entry's content (no padding, no end
     * blocks), which Go's reader takes as the end.
     */
    static void dockerfileOutsideContextBuild() throws Exception {
        Path ctx = context("fout", "", "f", "outside\n");
        Files.delete(ctx.resolve("Dockerfile"));
        Path df = work.resolve("fout-Dockerfile");
        Files.writeString(df, "FROM build2-base\nCOPY f /f\nLABEL outside=1\n");
        buildContext("fout", ctx, "-f", df.toString());
        assertSameImage("fout");
    }

    static final List<String> REFUSED = List.of("VOLUME []", "CMD [\"a\", 1]", "ONBUILD ONBUILD LABEL x=y", "ONBUILD FROM x", "ENV ONLY",
                "COPY --bogus=1 f /f", "EXPOSE abc", "WORKDIR $NOPE", "HEALTHCHECK --interval=1 CMD x", "LABEL =x");

    static void refusedBuild(int i) throws Exception {
        String bad = REFUSED.get(i);
        Path ctx = context("bad" + i, "FROM build2-base\n" + bad + "\n", "f", "f\n");
        var d = dockerd.docker("build", "--network", "none", ctx.toString());
        var b = berth.docker("build", "--network", "none", ctx.toString());
        assertEquals(d.exitCode() != 0, b.exitCode() != 0, bad + ": dockerd " + d.exitCode() + " " + d.stderr()
                + "\nberth " + b.exitCode() + " " + b.stderr());
    }

    static void scheduleCorpus() {
        // Longest first, so the four lanes finish together.
        schedule("user", null, DockerEngineBuildComparisonTest::userByNameWorkdirVolumesThenWhiteoutsBuild);
        schedule("meta", null, DockerEngineBuildComparisonTest::metadataInstructionsBuild);
        schedule("multi", null, DockerEngineBuildComparisonTest::multiStageCopyFromWithArgScopingBuild);
        schedule("steps", null, DockerEngineBuildComparisonTest::intermediateStepImagesAsDockerdBuild);
        schedule("ignore", null, DockerEngineBuildComparisonTest::dockerignoreExceptionsAndCopyFormsBuild);
        schedule("edge", null, DockerEngineBuildComparisonTest::edgeBuild);
        schedule("edge3", null, DockerEngineBuildComparisonTest::edge3Build);
        schedule("edge2", null, DockerEngineBuildComparisonTest::edge2Build);
        schedule("cmdshell", null, DockerEngineBuildComparisonTest::cmdShellBuild);
        schedule("backtick", null, DockerEngineBuildComparisonTest::backtickBuild);
        schedule("url", null, DockerEngineBuildComparisonTest::urlAndWordsBuild);
        schedule("fout", null, DockerEngineBuildComparisonTest::dockerfileOutsideContextBuild);
        for (int i = 0; i < REFUSED.size(); i++) {
            int n = i;
            schedule("bad" + i, null, () -> refusedBuild(n));
        }
    }

    @Test
    void multiStageCopyFromWithArgScoping() throws Throwable {
        await("multi");
    }

    @Test
    void dockerignoreExceptionsAndCopyForms() throws Throwable {
        await("ignore");
    }

    @Test
    void userByNameWorkdirVolumesThenWhiteouts() throws Throwable {
        await("user");
    }

    @Test
    void metadataInstructions() throws Throwable {
        await("meta", "cmdshell");
    }

    @Test
    void intermediateStepImagesAsDockerd() throws Throwable {
        await("steps");
    }

    @Test
    void parserEdgeCasesAsDockerd() throws Throwable {
        await("edge", "edge2", "edge3", "backtick", "fout", "url");
        for (int i = 0; i < REFUSED.size(); i++) {
            await("bad" + i);
        }
    }
}
