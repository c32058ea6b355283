package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** docker rmi and image prune against an image that containers use: moby's conflict rules. */
class DockerCliImageInUseTest {
    static BusyboxOnBerth engine;
    static ImageFixture image = TestImages.busybox();
    static String ref;
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), config);
        ref = engine.ref();
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

    static void assertConflict(Processes.Result r, String wording) {
        assertEquals(1, r.exitCode(), r.stdout());
        assertTrue(r.stderr().contains(wording), r.stderr());
    }

    @Test
    void imagesUnderContainersAreNotPulledFromUnderThem() {
        String id = image.configDigest().toString();
        String shortId = image.configDigest().shortHex();
        docker("run", "-d", "--name", "u1", ref, "sleep", "300").assertOk();

        assertConflict(docker("rmi", ref), "conflict: unable to remove repository reference \"" + ref + "\" (must force)");
        assertConflict(docker("rmi", shortId), "(cannot be forced) - image is being used by running container");
        assertConflict(docker("rmi", "-f", shortId), "(cannot be forced) - image is being used by running container");
        assertEquals(id, docker("image", "inspect", "-f", "{{.Id}}", ref).assertOk().stdout().strip(), "still tagged");

        docker("kill", "u1").assertOk();
        docker("wait", "u1").assertOk();
        assertConflict(docker("rmi", shortId), "(must be forced) - image is being used by stopped container");

        docker("image", "prune", "-af").assertOk();
        assertEquals(id, docker("image", "inspect", "-f", "{{.Id}}", ref).assertOk().stdout().strip(), "prune keeps it");

        var forced = docker("rmi", "-f", ref).assertOk();
        assertTrue(forced.stdout().contains("Untagged: " + ref), forced.stdout());
        assertEquals(id, docker("image", "inspect", "-f", "{{.Id}}", id).assertOk().stdout().strip(),
                "the image stays, untagged, under its stopped container");

        docker("rm", "u1").assertOk();
        var prune = docker("image", "prune", "-f").assertOk();
        assertTrue(prune.stdout().contains("deleted: " + id), prune.stdout());
        assertEquals(1, docker("image", "inspect", id).exitCode());
    }

    @Test
    void imagePruneTakesUntilByCreationTimeAndLabelNot() throws Exception {
        byte[] tar = new TestImages.TarBuilder().file("hello", 0644, "hi".getBytes()).build();
        java.util.function.Function<String, String> importDangling = change -> {
            var r = Processes.run(
                    java.util.Map.of("DOCKER_HOST", engine.daemon().host(), "DOCKER_CONFIG", config.toString()), tar, 60,
                    "docker", "import", "--change", change, "-");
            assertEquals(0, r.exitCode(), r.stderr());
            return r.stdout().strip();
        };
        String plain = importDangling.apply("LABEL keep=no");
        String kept = importDangling.apply("LABEL keep=yes");
        assertNotEquals(plain, kept);

        var bad = docker("image", "prune", "-f", "--filter", "until=soon");
        assertEquals(1, bad.exitCode(), bad.stdout());
        assertTrue(bad.stderr().contains("invalid until filter: soon"), bad.stderr());

        var young = docker("image", "prune", "-f", "--filter", "until=1h30m").assertOk();
        assertFalse(young.stdout().contains(plain), "created just now, not before an hour and a half ago: " + young.stdout());
        assertEquals(0, docker("image", "inspect", plain).exitCode());

        Thread.sleep(1100);
        var old = docker("image", "prune", "-f", "--filter", "until=1s", "--filter", "label!=keep=yes").assertOk();
        assertTrue(old.stdout().contains("deleted: " + plain), old.stdout());
        assertEquals(1, docker("image", "inspect", plain).exitCode());
        assertEquals(0, docker("image", "inspect", kept).exitCode(), "label!=keep=yes spares it");
        docker("rmi", kept).assertOk();
    }
}
