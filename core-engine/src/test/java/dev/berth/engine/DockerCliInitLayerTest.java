package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What the runtime itself puts in a container's layer stays out of {@code docker diff} and
 * {@code docker commit}, as Docker's init layer keeps it out: a fresh busybox container has no
 * changes on Docker. And {@code docker cp} reaches a --tmpfs mount of a running container.
 */
class DockerCliInitLayerTest {
    static final String BRIDGE = "br85init";
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path config;
    @TempDir
    static Path work;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        // A bridge network, so /etc/hosts, /etc/resolv.conf and /etc/hostname are mounted too.
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, "10.85.1.0/24"), config);
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.docker("rmi", "-f", "fix4/committed:1");
                engine.close();
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Processes.run(java.util.Map.of(), null, 10, "ip", "link", "del", BRIDGE);
            }
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    @Test
    void aFreshContainerHasNoChangesRunningOrStopped() {
        docker("run", "-d", "--name", "fix4-fresh", "--tmpfs", "/scratch", "-v", "fix4-vol:/vol", ref, "sleep", "300")
                .assertOk();
        try {
            // The --tmpfs and volume mount points are the container's own, as on Docker.
            assertEquals("A /scratch\nA /vol\n", docker("diff", "fix4-fresh").assertOk().stdout(), "running");
            docker("kill", "fix4-fresh").assertOk();
            docker("wait", "fix4-fresh").assertOk();
            assertEquals("A /scratch\nA /vol\n", docker("diff", "fix4-fresh").assertOk().stdout(), "stopped");
        } finally {
            docker("rm", "-f", "-v", "fix4-fresh");
            docker("volume", "rm", "fix4-vol");
        }
    }

    /** A user's own change under /etc or /dev still shows; the generated files never do. */
    @Test
    void realChangesShowAndCommitLeavesTheGeneratedFilesOut() {
        docker("run", "--name", "fix4-changed", ref, "sh", "-c",
                "echo x > /etc/mine && mkdir /w && touch /w/t && cat /etc/hosts > /dev/null").assertOk();
        try {
            List<String> diff = docker("diff", "fix4-changed").assertOk().stdout().lines().toList();
            assertEquals(List.of("C /etc", "A /etc/mine", "A /w", "A /w/t"), diff);

            docker("commit", "fix4-changed", "fix4/committed:1").assertOk();
            // The committed image's own layer: no hosts, resolv.conf or hostname, no /proc or /sys.
            var run = docker("run", "--rm", "fix4/committed:1", "sh", "-c", "cat /etc/mine; grep -q localhost /etc/hosts && echo hosts");
            assertEquals("x\nhosts\n", run.stdout(), run.stderr());
            // Its last layer is the commit's; in a saved image it is an uncompressed tar.
            Path saved = work.resolve("committed.tar");
            docker("image", "save", "-o", saved.toString(), "fix4/committed:1").assertOk();
            String top = docker("image", "inspect", "-f", "{{index .RootFS.Layers 2}}", "fix4/committed:1").assertOk().stdout().strip();
            var layer = Processes.run(java.util.Map.of(), null, 30, "sh", "-c",
                    "tar -xOf " + saved + " blobs/sha256/" + top.substring("sha256:".length()) + " | tar -t");
            assertEquals(List.of("etc/", "etc/mine", "w/", "w/t"), layer.stdout().lines().toList(), layer.stderr());
        } finally {
            docker("rm", "-f", "fix4-changed");
        }
    }

    /** The builder's RUN steps run in containers too: their layers leave the mount points out the same way. */
    @Test
    void aRunStepsLayerHasOnlyTheStepsChanges() throws Exception {
        Path ctx = Files.createDirectory(work.resolve("build-ctx"));
        Files.writeString(ctx.resolve("Dockerfile"), "FROM " + ref + "\nRUN echo built > /etc/built\n");
        docker("build", "-q", "-t", "fix4/built:1", ctx.toString()).assertOk();
        try {
            assertEquals(List.of("etc/", "etc/built"), topLayerEntries("fix4/built:1"));
        } finally {
            docker("rmi", "-f", "fix4/built:1");
        }
    }

    private static List<String> topLayerEntries(String image) {
        Path saved = work.resolve(image.replaceAll("[/:]", "_") + ".tar");
        docker("image", "save", "-o", saved.toString(), image).assertOk();
        String last = docker("image", "inspect", "-f", "{{range .RootFS.Layers}}{{.}} {{end}}", image).assertOk().stdout().strip();
        String[] all = last.split(" ");
        String digest = all[all.length - 1].substring("sha256:".length());
        var layer = Processes.run(java.util.Map.of(), null, 30, "sh", "-c", "tar -xOf " + saved + " blobs/sha256/" + digest + " | tar -t");
        return layer.stdout().lines().toList();
    }

    @Test
    void cpReachesATmpfsMountOfARunningContainer() throws Exception {
        docker("run", "-d", "--name", "fix4-tmpfs", "--tmpfs", "/scratch", ref, "sleep", "300").assertOk();
        try {
            Path in = Files.writeString(work.resolve("into-tmpfs.txt"), "on the tmpfs\n");
            docker("cp", in.toString(), "fix4-tmpfs:/scratch/").assertOk();
            var cat = docker("exec", "fix4-tmpfs", "cat", "/scratch/into-tmpfs.txt");
            assertEquals("on the tmpfs\n", cat.stdout(), cat.stderr());
            assertEquals("A /scratch\n", docker("diff", "fix4-tmpfs").assertOk().stdout(),
                    "nothing went to the layer under the tmpfs");

            docker("exec", "fix4-tmpfs", "sh", "-c", "echo made inside > /scratch/inside.txt").assertOk();
            Path out = Files.createDirectory(work.resolve("from-tmpfs"));
            docker("cp", "fix4-tmpfs:/scratch/inside.txt", out.toString()).assertOk();
            assertEquals("made inside\n", Files.readString(out.resolve("inside.txt")));

            var missing = docker("cp", "fix4-tmpfs:/scratch/none", out.toString());
            assertNotEquals(0, missing.exitCode());
            assertTrue(missing.stderr().contains("Could not find the file /scratch/none"), missing.stderr());

            // Stopped, the tmpfs is gone: a copy into it is refused rather than hidden under it at the next start.
            docker("kill", "fix4-tmpfs").assertOk();
            docker("wait", "fix4-tmpfs").assertOk();
            var stopped = docker("cp", in.toString(), "fix4-tmpfs:/scratch/");
            assertNotEquals(0, stopped.exitCode());
            assertTrue(stopped.stderr().contains("/scratch: it is a tmpfs mount"), stopped.stderr());
        } finally {
            docker("rm", "-f", "fix4-tmpfs");
        }
    }
}
