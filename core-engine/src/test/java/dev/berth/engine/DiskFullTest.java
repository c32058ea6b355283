package dev.berth.engine;

import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.Digest;
import dev.berth.images.layer.Posix;
import dev.berth.images.testing.TestImages;
import dev.berth.registry.LocalRegistry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A full disk under the data root: the engine's data root is a 24 MiB tmpfs, and an import, a pull, a load, a
 * container create or a build that does not fit fails with an error naming the cause (507, "No space left on
 * device" and what to do), leaves no byte behind, and the engine goes on working.
 */
class DiskFullTest {
    static final int DISK_MIB = 24;
    static Path dir;
    static Path data;
    static TestDaemon daemon;
    static LocalRegistry registry;
    @TempDir
    static Path work;
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(Posix.isRoot(), "CI runs the tests as root");
        }
        assumeTrue(Posix.isRoot(), "mounting a tmpfs needs root");
        dir = Files.createTempDirectory(Path.of("/tmp"), "bdfull");
        data = Files.createDirectories(dir.resolve("data"));
        Processes.run(Map.of(), null, 10, "mount", "-t", "tmpfs", "-o", "size=" + DISK_MIB + "m", "tmpfs", data.toString())
                .assertOk();
        daemon = TestDaemon.at(dir);
        registry = LocalRegistry.start(LocalRegistry.Mode.OPEN);
    }

    @AfterAll
    static void stop() throws Exception {
        if (registry != null) {
            registry.close();
        }
        if (daemon != null) {
            daemon.stop();
        }
        if (data != null) {
            // The daemon hands some cleanups to background threads: wait for them to let go of the mount.
            long deadline = System.nanoTime() + 10_000_000_000L;
            while (Processes.run(Map.of(), null, 10, "umount", data.toString()).exitCode() != 0) {
                if (System.nanoTime() > deadline) {
                    Processes.run(Map.of(), null, 10, "umount", "-l", data.toString());
                    break;
                }
                Thread.sleep(100);
            }
        }
        if (daemon != null) {
            daemon.close();
        }
    }

    static Processes.Result docker(String... args) {
        return Processes.docker(daemon.host(), config, args);
    }

    static long usedBytes() throws IOException {
        var store = Files.getFileStore(data);
        return store.getTotalSpace() - store.getUsableSpace();
    }

    /** A plain tar holding one file of random (incompressible) bytes. */
    static byte[] tarOf(String name, int size, long seed) {
        byte[] content = new byte[size];
        new Random(seed).nextBytes(content);
        return new TestImages.TarBuilder().file(name, 0644, content).build();
    }

    static void assertNoSpaceAndNothingLeft(Processes.Result r, long usedBefore) throws Exception {
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue(r.stderr().contains("No space left on device"), r.stderr());
        assertTrue(r.stderr().contains("the disk under the engine's data root is full"), r.stderr());
        assertNothingLeft(usedBefore);
        assertEquals("", docker("images", "-q").assertOk().stdout().strip());
    }

    /**
     * Staged blobs, copies, unpacked directories and build containers are all gone: the disk is as full as before.
     * Some go on a background thread (a build's temporary state), so within a bounded wait.
     */
    static void assertNothingLeft(long usedBefore) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        long left;
        while ((left = usedBytes() - usedBefore) >= 1 << 20 && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(left < 1 << 20, "left behind on the full disk: " + left + " bytes");
    }

    @Test
    void anImportThatDoesNotFitFailsWithNoSpaceAndLeavesNothingAndTheEngineGoesOn() throws Exception {
        Path big = Files.write(work.resolve("big.tar"), tarOf("big.bin", (DISK_MIB * 2 / 3) << 20, 1));
        long before = usedBytes();
        assertNoSpaceAndNothingLeft(docker("import", big.toString(), "full/imported:1"), before);

        Path small = Files.write(work.resolve("small.tar"), tarOf("small.bin", 1 << 20, 2));
        docker("import", small.toString(), "full/small:1").assertOk();
        assertEquals("full/small:1", docker("images", "--format", "{{.Repository}}:{{.Tag}}").assertOk().stdout().strip());
        docker("rmi", "full/small:1").assertOk();
    }

    /** Fills the data root's disk to the last byte; delete the file it returns to give the room back. */
    static Path fillTheDisk() throws IOException {
        Path filler = data.resolve("filler");
        try (OutputStream out = Files.newOutputStream(filler)) {
            byte[] block = new byte[1 << 16];
            while (true) {
                try {
                    out.write(block);
                } catch (IOException full) {
                    break;
                }
            }
        } catch (IOException closingOnAFullDisk) {
            // the last buffered bytes had no room either
        }
        return filler;
    }

    @Test
    void aContainerCreatedOnAFullDiskFailsWithNoSpaceAndLeavesNothing() throws Exception {
        Path small = Files.write(work.resolve("small2.tar"), tarOf("small.bin", 1 << 20, 5));
        docker("import", "--change", "CMD [\"/small.bin\"]", small.toString(), "full/base:1").assertOk();
        Path filler = fillTheDisk();
        try {
            Processes.Result create = docker("create", "--name", "full-c", "full/base:1");
            assertEquals(1, create.exitCode(), create.stdout() + create.stderr());
            assertTrue(create.stderr().contains("cannot write the files of container "), create.stderr());
            assertTrue(create.stderr().contains("the disk under the engine's data root is full"), create.stderr());
        } finally {
            Files.deleteIfExists(filler);
        }
        assertEquals("", docker("ps", "-aq").assertOk().stdout().strip(), "no half-created container");
        try (var left = Files.list(data.resolve("containers"))) {
            assertEquals(List.of(), left.toList(), "no container directory left");
        }
        // With room again, the same name is free.
        docker("create", "--name", "full-c", "full/base:1").assertOk();
        docker("rm", "full-c").assertOk();
        docker("rmi", "full/base:1").assertOk();
    }

    @Test
    void theCatalogOnAFullDiskFailsWithNoSpace() throws Exception {
        // A catalog of its own on the same disk: SQLite reports a full disk as SQLITE_FULL, or as a commit with
        // "no transaction is active" once it rolled back by itself; both are the full disk.
        try (var catalog = new dev.berth.engine.catalog.Catalog(data.resolve("full-test.db"))) {
            catalog.inTransaction(c -> {
                try (var s = c.createStatement()) {
                    s.execute("CREATE TABLE filler(b BLOB)");
                }
                return null;
            });
            Path filler = fillTheDisk();
            try {
                dev.berth.errors.BerthException e = org.junit.jupiter.api.Assertions.assertThrows(
                        dev.berth.errors.BerthException.class, () -> {
                            for (int i = 0; i < 10_000; i++) {
                                catalog.inTransaction(c -> {
                                    try (var s = c.prepareStatement("INSERT INTO filler(b) VALUES(?)")) {
                                        s.setBytes(1, new byte[64 * 1024]);
                                        s.executeUpdate();
                                    }
                                    return null;
                                });
                            }
                        });
                assertEquals(dev.berth.errors.ErrorCategory.NO_SPACE, dev.berth.errors.BerthException.categoryOf(e),
                        e.getMessage());
            } finally {
                Files.deleteIfExists(filler);
            }
        } finally {
            for (String f : new String[] {"full-test.db", "full-test.db-wal", "full-test.db-shm"}) {
                Files.deleteIfExists(data.resolve(f));
            }
        }
    }

    @Test
    void aBuildWhoseLayerDoesNotFitFailsWithNoSpaceAndLeavesNothing() throws Exception {
        dev.berth.engine.testing.BusyboxOnBerth.requireContainerPrerequisites();
        String base = registry.push(TestImages.busybox(), "full/busybox:1");
        docker("pull", base).assertOk();
        Path context = Files.createDirectories(work.resolve("build"));
        long free = Files.getFileStore(data).getUsableSpace();
        // The RUN's file fits in the container's upper directory; its copy as the layer tar does not.
        long mib = free / 2 / (1 << 20) + 2;
        Files.writeString(context.resolve("Dockerfile"), "FROM " + base + "\nRUN dd if=/dev/urandom of=/big bs=1M count="
                + mib + "\n");
        long before = usedBytes();
        Processes.Result r = docker("build", "--network", "none", "-t", "full/built:1", context.toString());
        assertEquals(1, r.exitCode(), r.stdout() + r.stderr());
        assertTrue((r.stdout() + r.stderr()).contains("No space left on device"), r.stdout() + r.stderr());
        assertTrue((r.stdout() + r.stderr()).contains("the disk under the engine's data root is full"), r.stdout() + r.stderr());
        assertEquals("", docker("ps", "-aq").assertOk().stdout().strip(), "no build container left");
        assertEquals("", docker("images", "-q", "full/built").assertOk().stdout().strip());
        assertNothingLeft(before);
        docker("rmi", base).assertOk();
    }

    @Test
    void aPullThatDoesNotFitFailsWithNoSpaceAndLeavesNothing() throws Exception {
        // Random bytes do not compress: the blob and the unpacked layer each take two thirds of the disk.
        String ref = registry.push(TestImages.fromLayers(List.of(tarOf("big.bin", (DISK_MIB * 2 / 3) << 20, 4))),
                "full/pulled:1");
        long before = usedBytes();
        assertNoSpaceAndNothingLeft(docker("pull", ref), before);
    }

    @Test
    void aLoadThatDoesNotFitFailsWithNoSpaceAndLeavesNothing() throws Exception {
        // A docker-archive with one layer: the layer tar is stored as a blob and unpacked, twice its size.
        byte[] layer = tarOf("big.bin", (DISK_MIB * 2 / 3) << 20, 3);
        String diffId = Digest.sha256Of(layer).toString();
        byte[] imageConfig = ("{\"architecture\":\"amd64\",\"os\":\"linux\",\"config\":{},\"rootfs\":{\"type\":\"layers\","
                + "\"diff_ids\":[\"" + diffId + "\"]}}").getBytes(StandardCharsets.UTF_8);
        byte[] manifest = "[{\"Config\":\"config.json\",\"RepoTags\":[\"full/loaded:1\"],\"Layers\":[\"layer.tar\"]}]"
                .getBytes(StandardCharsets.UTF_8);
        Path archive = Files.write(work.resolve("image.tar"), new TestImages.TarBuilder()
                .file("config.json", 0644, imageConfig).file("layer.tar", 0644, layer).file("manifest.json", 0644, manifest)
                .build());
        long before = usedBytes();
        Processes.Result r = docker("load", "-i", archive.toString());
        if (r.exitCode() == 0) {
            fail("a " + layer.length + "-byte layer loaded onto a " + DISK_MIB + " MiB disk: " + r.stdout());
        }
        assertNoSpaceAndNothingLeft(r, before);
    }
}
