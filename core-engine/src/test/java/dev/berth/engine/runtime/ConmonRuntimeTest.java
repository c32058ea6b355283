package dev.berth.engine.runtime;

import dev.berth.engine.catalog.Catalog;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.images.ImageRecord;
import dev.berth.engine.images.ImageService;
import dev.berth.engine.images.ImageStore;
import dev.berth.engine.images.LayerRecord;
import dev.berth.engine.images.LayerStore;
import dev.berth.images.Digest;
import dev.berth.images.layer.Posix;
import dev.berth.images.manifest.ImageConfig;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.store.BlobStore;
import dev.berth.images.testing.ImageFixture;
import dev.berth.images.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Real containers: the busybox fixture's layers under an overlay, a generated spec, and conmon + runc.
 * Needs root, runc and conmon; missing ones fail the run in CI and skip it elsewhere.
 */
class ConmonRuntimeTest {
    static final Path RUNC = Path.of("/usr/sbin/runc");
    static final Path CONMON = Path.of("/usr/bin/conmon");
    static final Duration EXIT_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    Catalog catalog;
    ImageService images;
    ImageRecord image;
    ConmonRuntime runtime;
    OciSpecBuilder specs;
    final List<Running> created = new ArrayList<>();

    record Running(String id, Path bundle, RootFs rootfs) {
    }

    @BeforeEach
    void setUp() throws Exception {
        require(Posix.isRoot(), "these tests need root");
        require(Files.isExecutable(RUNC), RUNC + " is not installed");
        require(Files.isExecutable(CONMON), CONMON + " is not installed");
        require(TestImages.busyboxAvailable(), "busybox-static is not installed");
        CgroupLayout cgroups = CgroupLayout.detect();
        var reason = ConmonRuntime.unusableReason(RUNC, cgroups);
        require(reason.isEmpty(), reason.orElse(""));

        catalog = new Catalog(dir.resolve("catalog.db"));
        images = new ImageService(new BlobStore(dir.resolve("content")), new ImageStore(catalog),
                new LayerStore(dir.resolve("layers")), new EventBus());
        image = load(TestImages.busybox(), "docker.io/library/busybox:latest");
        runtime = new ConmonRuntime(CONMON, RUNC, dir.resolve("state"));
        specs = new OciSpecBuilder(cgroups, OciSpecBuilder.currentRlimit("Max open files", "RLIMIT_NOFILE"),
                "/berth-test");
    }

    private static void require(boolean ok, String why) {
        if (!ok) {
            if ("true".equals(System.getenv("CI"))) {
                fail(why);
            }
            org.junit.jupiter.api.Assumptions.abort(why);
        }
    }

    private ImageRecord load(ImageFixture f, String ref) throws Exception {
        Digest config = images.blobs().put(f.config());
        Digest manifest = images.blobs().put(f.manifest());
        List<LayerRecord> layers = new ArrayList<>();
        int i = 0;
        for (Map.Entry<Digest, byte[]> e : f.layers().entrySet()) {
            Digest diffId = f.diffIds().get(i++);
            images.blobs().put(e.getValue());
            long size = images.importer().importLayer(new ByteArrayInputStream(e.getValue()),
                    MediaTypes.Compression.GZIP, diffId);
            layers.add(new LayerRecord(diffId, size, e.getKey(), MediaTypes.DOCKER_LAYER_GZIP, e.getValue().length));
        }
        return images.register(config, manifest, f.mediaType(), layers, List.of(ref));
    }

    @AfterEach
    void tearDown() throws Exception {
        List<Throwable> errors = new ArrayList<>();
        for (Running r : created) {
            try {
                runtime.delete(r.id(), true);
            } catch (Throwable t) {
                errors.add(t);
            }
            try {
                runtime.killMonitor(r.bundle());
            } catch (Throwable t) {
                errors.add(t);
            }
            try {
                r.rootfs().remove();
            } catch (Throwable t) {
                errors.add(t);
            }
        }
        if (catalog != null) {
            catalog.close();
        }
        if (dir != null) {
            for (Path m : MountInfo.under(dir).reversed()) {
                Mounts.umount(m, Mounts.MNT_DETACH);
            }
        }
        if (!errors.isEmpty()) {
            throw new AssertionError("cleanup failed: " + errors, errors.getFirst());
        }
    }

    /** runc removes each container's cgroup but not the shared parent; rmdir it where it is empty. */
    @org.junit.jupiter.api.AfterAll
    static void removeParentCgroups() throws IOException {
        Path root = Path.of("/sys/fs/cgroup");
        if (!Files.isDirectory(root)) {
            return;
        }
        try (var controllers = Files.list(root)) {
            for (Path c : controllers.toList()) {
                try {
                    Files.deleteIfExists(c.resolve("berth-test"));
                } catch (IOException busy) {
                    // Still holds a container's cgroup: leave it for the next run's cleanup.
                }
            }
        }
    }

    /** Mounts the rootfs, writes the spec and creates the container, recording it for cleanup first. */
    private Running create(CreateOptions opts) throws Exception {
        String id = "berth-test-" + UUID.randomUUID().toString().replace("-", "").substring(0, 16);
        Path bundle = dir.resolve("containers").resolve(id);
        Running r = new Running(id, bundle, new RootFs(bundle));
        created.add(r);
        ImageRecord rec = images.require("busybox");
        List<Path> lowers = rec.diffIds().reversed().stream().map(images.layers()::path).toList();
        Path merged = r.rootfs().mount(lowers);
        ImageConfig config = images.config(rec);
        specs.build(id, merged, config, opts).writeTo(bundle);
        runtime.create(id, bundle, opts.tty());
        assertEquals("created", runtime.state(id).orElseThrow().status());
        return r;
    }

    private int runToExit(Running r) throws Exception {
        runtime.start(r.id());
        OptionalInt code = runtime.awaitExit(r.id(), EXIT_WAIT);
        assertTrue(code.isPresent(), "no exit file within " + EXIT_WAIT + "; log: " + log(r));
        return code.getAsInt();
    }

    private String log(Running r) throws IOException {
        Path log = runtime.logPath(r.bundle());
        return Files.exists(log) ? Files.readString(log) : "(no log)";
    }

    @Test
    void runsACommandAndRecordsItsExitCodeAndBothStreams() throws Exception {
        Running r = create(CreateOptions.defaults().withCmd("sh", "-c", "echo hello from berth; echo oops >&2; exit 3"));
        assertEquals(3, runToExit(r));

        List<String> lines = Files.readAllLines(runtime.logPath(r.bundle()));
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\S+ stdout F hello from berth")), lines.toString());
        assertTrue(lines.stream().anyMatch(l -> l.matches("\\S+ stderr F oops")), lines.toString());
        assertEquals("stopped", runtime.state(r.id()).orElseThrow().status());

        runtime.delete(r.id(), false);
        assertTrue(runtime.state(r.id()).isEmpty());
        r.rootfs().remove();
        assertEquals(List.of(), MountInfo.under(dir), "nothing left mounted");
        assertFalse(Files.exists(r.rootfs().upper()), "upper dir removed");
    }

    @Test
    void sigkillGives137() throws Exception {
        Running r = create(CreateOptions.defaults().withCmd("sleep", "300"));
        runtime.start(r.id());
        assertEquals("running", runtime.state(r.id()).orElseThrow().status());
        assertTrue(runtime.exitCode(r.id()).isEmpty());
        runtime.kill(r.id(), 9, false);
        OptionalInt code = runtime.awaitExit(r.id(), EXIT_WAIT);
        assertEquals(OptionalInt.of(137), code);
        runtime.delete(r.id(), false);
    }

    @Test
    void writesLandInTheUpperDir() throws Exception {
        Running r = create(CreateOptions.defaults().withCmd("sh", "-c", "echo data > /created.txt; rm /etc/hello"));
        assertEquals(0, runToExit(r), () -> {
            try {
                return log(r);
            } catch (IOException e) {
                return e.toString();
            }
        });
        assertEquals("data\n", Files.readString(r.rootfs().upper().resolve("created.txt")));
        // A deletion of a lower file is an overlay whiteout: a 0/0 character device.
        Path whiteout = r.rootfs().upper().resolve("etc/hello");
        assertTrue(Files.exists(whiteout, java.nio.file.LinkOption.NOFOLLOW_LINKS), "whiteout for etc/hello");
        assertFalse(Files.isRegularFile(whiteout, java.nio.file.LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.exists(r.rootfs().merged().resolve("etc/hello")));
    }

    @Test
    void startOpensRuncsExecFifoAndAnInitKilledWhileCreatedFailsTheStart() throws Exception {
        Running r = create(CreateOptions.defaults().withCmd("sleep", "300"));
        Path fifo = runtime.runtimeRoot().resolve(r.id()).resolve("exec.fifo");
        assertTrue(Files.exists(fifo), "runc create leaves the init waiting on " + fifo);
        runtime.start(r.id());
        assertFalse(Files.exists(fifo));
        assertEquals("running", runtime.state(r.id()).orElseThrow().status());
        // Started already: runc's own answer, as before.
        assertTrue(assertThrowsBerth(() -> runtime.start(r.id())).contains("already running"));
        runtime.kill(r.id(), 9, false);
        assertEquals(OptionalInt.of(137), runtime.awaitExit(r.id(), EXIT_WAIT));

        Running dead = create(CreateOptions.defaults().withCmd("true"));
        runtime.kill(dead.id(), 9, false);
        assertTrue(runtime.awaitExit(dead.id(), EXIT_WAIT).isPresent(), "conmon records the killed init");
        long t0 = System.nanoTime();
        String msg = assertThrowsBerth(() -> runtime.start(dead.id()));
        assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(10).toNanos(), "the start did not hang");
        assertTrue(msg.contains("container process is already dead") || msg.contains("stopped"), msg);
    }

    private static String assertThrowsBerth(org.junit.jupiter.api.function.Executable e) {
        return org.junit.jupiter.api.Assertions.assertThrows(dev.berth.errors.BerthException.class, e).getMessage();
    }
}
