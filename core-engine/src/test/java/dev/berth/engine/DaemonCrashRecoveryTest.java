package dev.berth.engine;

import dev.berth.engine.testing.ChildDaemon;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.FaultyProxy;
import dev.berth.registry.LocalRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** kill -9 of the daemon in the middle of a pull: the store stays consistent and a new pull completes. */
class DaemonCrashRecoveryTest {
    @TempDir
    Path work;

    @Test
    void killedMidPullLeavesNoHalfImageAndPullsAgain() throws Exception {
        Processes.requireBinary("docker-registry");
        Processes.requireBinary("busybox");
        ImageFixture image = TestImages.busybox();
        try (LocalRegistry registry = LocalRegistry.start(LocalRegistry.Mode.OPEN)) {
            String repo = "crash/busybox:1";
            registry.push(image, repo);

            Path dir = Files.createTempDirectory(Path.of("/tmp"), "bk");
            Path socket = dir.resolve("d.sock");
            Path data = dir.resolve("data");
            Path config = work.resolve("docker-config");
            Files.createDirectories(config);
            try (FaultyProxy proxy = new FaultyProxy(registry.host())) {
                ChildDaemon child = ChildDaemon.start(socket, data, work.resolve("child.log"));
                proxy.killDuringBlob(200_000, child::kill);
                var pull = Processes.docker(child.host(), config, "pull", proxy.host() + "/" + repo);
                assertNotEquals(0, pull.exitCode(), "the pull died with the daemon: " + pull.stdout());
                child.kill();
            }
            // What the dead daemon left behind is on disk now; the next start must sweep it.
            try (TestDaemon restarted = TestDaemon.at(dir)) {
                try (Stream<Path> s = Files.list(data.resolve("layers"))) {
                    assertEquals(List.of(), s.toList(), "no staging or unverified layer directories survive");
                }
                try (Stream<Path> s = Files.list(data.resolve("content/tmp"))) {
                    assertEquals(List.of(), s.toList(), "no partial blobs survive");
                }
                var images = Processes.docker(restarted.host(), config, "images", "-q").assertOk();
                assertEquals("", images.stdout().trim(), "no half image in the catalog");

                var pull = Processes.docker(restarted.host(), config, "pull", registry.host() + "/" + repo).assertOk();
                assertTrue(pull.stdout().contains("Downloaded newer image"), pull.stdout());
                var id = Processes.docker(restarted.host(), config, "image", "inspect", "--format", "{{.Id}}",
                        registry.host() + "/" + repo).assertOk();
                assertEquals(image.configDigest().toString(), id.stdout().trim());
            }
        }
    }
}
