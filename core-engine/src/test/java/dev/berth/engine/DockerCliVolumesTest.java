package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.layer.LayerDirs;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real docker CLI managing volumes on Berth and running containers with volumes, binds and tmpfs. */
class DockerCliVolumesTest {
    static BusyboxOnBerth engine;
    static String ref;
    /** Busybox plus /data (a VOLUME, owned by 1000) and /escape, a symlink to {@link #hostDir}. */
    static String volImage;
    static Path hostDir;
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), config);
        ref = engine.ref();
        hostDir = Files.createTempDirectory(Path.of("/tmp"), "volumes-host");
        Files.writeString(hostDir.resolve("secret"), "host only\n");
        volImage = engine.registry().push(dev.berth.engine.volumes.VolumeTestImages.withVolume(hostDir.toString()),
                "e2e/volumes:1.0");
        docker("pull", volImage).assertOk();
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (hostDir != null) {
                LayerDirs.deleteRecursively(hostDir);
            }
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    static Path volumeData(String name) {
        return engine.daemon().dataRoot().resolve("volumes").resolve(name).resolve("_data");
    }

    static List<String> volumeNames() {
        return docker("volume", "ls", "-q").assertOk().stdout().lines().toList();
    }

    @Test
    void createInspectListRemove() {
        assertEquals("volumes-a\n", docker("volume", "create", "--label", "team=blue", "volumes-a").assertOk().stdout());
        // Creating an existing name again is no error, as in Docker.
        assertEquals("volumes-a\n", docker("volume", "create", "volumes-a").assertOk().stdout());
        String inspect = docker("volume", "inspect", "-f", "{{.Name}} {{.Driver}} {{.Scope}} {{.Labels.team}} {{.Mountpoint}}",
                "volumes-a").assertOk().stdout().strip();
        assertEquals("volumes-a local local blue " + volumeData("volumes-a"), inspect);
        assertTrue(Files.isDirectory(volumeData("volumes-a")));
        assertTrue(docker("volume", "inspect", "-f", "{{.CreatedAt}}", "volumes-a").assertOk().stdout()
                .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(Z|[+-]\\d\\d:\\d\\d)\\n"));
        assertEquals(List.of("volumes-a"), docker("volume", "ls", "-q", "--filter", "label=team=blue").assertOk().stdout().lines().toList());
        assertEquals(List.of(), docker("volume", "ls", "-q", "--filter", "label=team=red").assertOk().stdout().lines().toList());
        assertTrue(docker("volume", "ls", "--filter", "name=volumes-a", "--format", "{{.Driver}} {{.Name}}").assertOk()
                .stdout().lines().anyMatch("local volumes-a"::equals));
        assertTrue(docker("volume", "ls", "-q", "--filter", "dangling=true").assertOk().stdout().lines().anyMatch("volumes-a"::equals));

        assertEquals("volumes-a\n", docker("volume", "rm", "volumes-a").assertOk().stdout());
        assertFalse(Files.exists(volumeData("volumes-a").getParent()));
        var missing = docker("volume", "inspect", "volumes-a");
        assertEquals(1, missing.exitCode());
        assertTrue(missing.stderr().contains("no such volume"), missing.stderr());
        var rmMissing = docker("volume", "rm", "volumes-a");
        assertEquals(1, rmMissing.exitCode());
        assertTrue(rmMissing.stderr().contains("no such volume"), rmMissing.stderr());
        docker("volume", "rm", "-f", "volumes-a").assertOk();
    }

    @Test
    void invalidNamesAndPathsAreRefusedWithDockersMessages() {
        var bad = docker("volume", "create", "volumes@bad");
        assertEquals(1, bad.exitCode());
        assertTrue(bad.stderr().contains("\"volumes@bad\" includes invalid characters for a local volume name, only "
                + "\"[a-zA-Z0-9][a-zA-Z0-9_.-]\" are allowed"), bad.stderr());
        var badRun = docker("run", "--rm", "-v", "volumes@bad:/x", ref, "true");
        assertEquals(125, badRun.exitCode());
        assertTrue(badRun.stderr().contains("includes invalid characters for a local volume name"), badRun.stderr());
        var relative = docker("run", "--rm", "-v", "volumes-rel:relative", ref, "true");
        assertEquals(125, relative.exitCode());
        assertTrue(relative.stderr().contains("mount path must be absolute"), relative.stderr());
        var missingBind = docker("run", "--rm", "--mount", "type=bind,source=/nonexistent-volumes-src,target=/x", ref, "true");
        assertEquals(125, missingBind.exitCode());
        assertTrue(missingBind.stderr().contains("bind source path does not exist: /nonexistent-volumes-src"), missingBind.stderr());
        var badOpt = docker("volume", "create", "-o", "bogus=1", "volumes-opt");
        assertEquals(1, badOpt.exitCode());
        assertTrue(badOpt.stderr().contains("invalid option: \"bogus\""), badOpt.stderr());
        assertFalse(volumeNames().contains("volumes-rel"));
        assertFalse(volumeNames().contains("volumes-opt"));
    }

    @Test
    void namedVolumeDataSurvivesItsContainersAndReadOnlyIsEnforced() {
        docker("run", "--rm", "--network", "none", "-v", "volumes-data:/data", ref, "sh", "-c", "echo persisted > /data/f").assertOk();
        assertTrue(volumeNames().contains("volumes-data"), "created on demand and kept after --rm");
        var read = docker("run", "--rm", "--network", "none", "-v", "volumes-data:/data:ro", ref, "cat", "/data/f").assertOk();
        assertEquals("persisted\n", read.stdout());
        var write = docker("run", "--rm", "--network", "none", "-v", "volumes-data:/data:ro", ref, "sh", "-c", "echo x > /data/g");
        assertNotEquals(0, write.exitCode());
        assertTrue(write.stderr().contains("Read-only file system"), write.stderr());
        assertFalse(Files.exists(volumeData("volumes-data").resolve("g")));
        docker("volume", "rm", "volumes-data").assertOk();
    }

    @Test
    void aVolumeInUseCannotBeRemoved() {
        String id = docker("create", "--name", "volumes-user", "-v", "volumes-busy:/d", ref, "true").assertOk().stdout().strip();
        var rm = docker("volume", "rm", "volumes-busy");
        assertEquals(1, rm.exitCode());
        assertTrue(rm.stderr().contains("remove volumes-busy: volume is in use - [" + id + "]"), rm.stderr());
        var rmForce = docker("volume", "rm", "-f", "volumes-busy");
        assertEquals(1, rmForce.exitCode(), "force does not override in-use, as in Docker");
        assertFalse(docker("volume", "ls", "-q", "--filter", "dangling=true").assertOk().stdout().lines().anyMatch("volumes-busy"::equals));
        assertTrue(docker("volume", "ls", "-q", "--filter", "dangling=false").assertOk().stdout().lines().anyMatch("volumes-busy"::equals));
        String mounts = docker("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Name}} {{.Source}} {{.Destination}} {{.Driver}} {{.Mode}} {{.RW}}{{end}}",
                "volumes-user").assertOk().stdout().strip();
        assertEquals("volume volumes-busy " + volumeData("volumes-busy") + " /d local z true", mounts);
        docker("rm", "volumes-user").assertOk();
        docker("volume", "rm", "volumes-busy").assertOk();
    }

    @Test
    void bindMountsReadWriteAndReadOnly() throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "volumes-bind");
        try {
            Files.writeString(dir.resolve("in"), "from host\n");
            var read = docker("run", "--rm", "--network", "none", "-v", dir + ":/h", ref, "sh", "-c", "cat /h/in; echo back > /h/out").assertOk();
            assertEquals("from host\n", read.stdout());
            assertEquals("back\n", Files.readString(dir.resolve("out")));
            var ro = docker("run", "--rm", "--network", "none", "-v", dir + ":/h:ro", ref, "sh", "-c", "echo x > /h/ro");
            assertNotEquals(0, ro.exitCode());
            assertTrue(ro.stderr().contains("Read-only file system"), ro.stderr());
            assertFalse(Files.exists(dir.resolve("ro")));
            var mount = docker("run", "--rm", "--network", "none", "--mount", "type=bind,source=" + dir + ",target=/m,readonly",
                    ref, "cat", "/m/in").assertOk();
            assertEquals("from host\n", mount.stdout());

            // -v creates a missing host directory, as Docker does.
            Path created = dir.resolve("made/by/v");
            docker("run", "--rm", "--network", "none", "-v", created + ":/c", ref, "sh", "-c", "echo y > /c/f").assertOk();
            assertEquals("y\n", Files.readString(created.resolve("f")));

            String id = docker("create", "-v", dir + ":/h:ro", ref, "true").assertOk().stdout().strip();
            assertEquals("bind  " + dir + " /h ro false rprivate", docker("inspect", "-f",
                    "{{range .Mounts}}{{.Type}} {{.Name}} {{.Source}} {{.Destination}} {{.Mode}} {{.RW}} {{.Propagation}}{{end}}", id)
                    .assertOk().stdout().strip());
            docker("rm", id).assertOk();
        } finally {
            LayerDirs.deleteRecursively(dir);
        }
    }

    @Test
    void anEmptyVolumeIsPopulatedFromTheImageWithOwnersAndModes() throws Exception {
        var ls = docker("run", "--rm", "--network", "none", "-v", "volumes-pop:/data", volImage, "cat", "/data/seed.txt").assertOk();
        assertEquals("seeded\n", ls.stdout());
        Path data = volumeData("volumes-pop");
        assertEquals("seeded\n", Files.readString(data.resolve("seed.txt")));
        Map<String, Object> seed = Files.readAttributes(data.resolve("seed.txt"), "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
        assertEquals(1000, seed.get("uid"));
        assertEquals(0640, (Integer) seed.get("mode") & 07777);
        Map<String, Object> top = Files.readAttributes(data, "unix:uid,mode", LinkOption.NOFOLLOW_LINKS);
        assertEquals(1000, top.get("uid"), "the volume root takes the image directory's owner");
        assertEquals(0750, (Integer) top.get("mode") & 07777);
        assertEquals(1001, Files.getAttribute(data.resolve("sub"), "unix:uid", LinkOption.NOFOLLOW_LINKS));
        assertEquals(Path.of("../seed.txt"), Files.readSymbolicLink(data.resolve("sub/link")));

        // Not empty any more: a second container's image content is not copied over the user's data.
        docker("run", "--rm", "--network", "none", "-v", "volumes-pop:/data", volImage, "sh", "-c", "echo mine > /data/seed.txt").assertOk();
        assertEquals("mine\n", docker("run", "--rm", "--network", "none", "-v", "volumes-pop:/data", volImage, "cat", "/data/seed.txt")
                .assertOk().stdout());

        var nocopy = docker("run", "--rm", "--network", "none", "-v", "volumes-nocopy:/data:nocopy", volImage, "ls", "-A", "/data").assertOk();
        assertEquals("", nocopy.stdout());
        try (var s = Files.list(volumeData("volumes-nocopy"))) {
            assertEquals(0, s.count());
        }
        docker("volume", "rm", "volumes-pop", "volumes-nocopy").assertOk();
    }

    @Test
    void anonymousVolumesComeFromTheImageAndGoWithRmV() {
        List<String> before = volumeNames();
        String id = docker("create", "--name", "volumes-anon", volImage, "true").assertOk().stdout().strip();
        String name = docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", id).assertOk().stdout().strip();
        String withNamed = docker("create", "-v", "volumes-named:/n", volImage, "true").assertOk().stdout().strip();
        docker("rm", "-v", withNamed).assertOk();
        assertTrue(volumeNames().contains("volumes-named"), "rm -v keeps named volumes");
        docker("volume", "rm", "volumes-named").assertOk();
        assertTrue(name.matches("[0-9a-f]{64}"), name);
        assertEquals("volume /data true", docker("inspect", "-f", "{{range .Mounts}}{{.Type}} {{.Destination}} {{.RW}}{{end}}", id)
                .assertOk().stdout().strip());
        assertTrue(volumeNames().contains(name));
        assertTrue(Files.exists(volumeData(name).resolve("seed.txt")), "populated from the image at create");
        assertEquals("", docker("volume", "inspect", "-f", "{{index .Labels \"com.docker.volume.anonymous\"}}", name).assertOk().stdout().strip());
        docker("rm", "-v", id).assertOk();
        assertFalse(volumeNames().contains(name));

        // --rm removes the anonymous volumes of -v /path and of the image.
        docker("run", "--rm", "--network", "none", "-v", "/scratch", volImage, "sh", "-c", "echo x > /scratch/f; echo y > /data/f").assertOk();
        awaitVolumes(before);

        // rm without -v keeps it; prune takes anonymous volumes only, unless --all.
        docker("volume", "create", "volumes-keep").assertOk();
        String kept = docker("create", volImage, "true").assertOk().stdout().strip();
        String anon = docker("inspect", "-f", "{{range .Mounts}}{{.Name}}{{end}}", kept).assertOk().stdout().strip();
        docker("rm", kept).assertOk();
        assertTrue(volumeNames().contains(anon));
        String pruned = docker("volume", "prune", "-f").assertOk().stdout();
        assertTrue(pruned.contains(anon), pruned);
        assertFalse(volumeNames().contains(anon));
        assertTrue(volumeNames().contains("volumes-keep"));
        assertTrue(docker("volume", "prune", "-a", "-f").assertOk().stdout().contains("volumes-keep"));
        assertFalse(volumeNames().contains("volumes-keep"));
    }

    /** --rm's removal runs after the exit; the CLI may return first. */
    static void awaitVolumes(List<String> expected) {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!volumeNames().equals(expected)) {
            if (System.nanoTime() > deadline) {
                assertEquals(expected, volumeNames());
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    @Test
    void tmpfsMounts() {
        String mounts = docker("run", "--rm", "--network", "none", "--tmpfs", "/scratch:size=1m", "--mount",
                "type=tmpfs,target=/t,tmpfs-size=2097152,tmpfs-mode=1770", ref, "cat", "/proc/mounts").assertOk().stdout();
        String scratch = mounts.lines().filter(l -> l.split(" ")[1].equals("/scratch")).findFirst().orElseThrow(() -> new AssertionError(mounts));
        assertTrue(scratch.startsWith("tmpfs /scratch tmpfs rw,nosuid,nodev,noexec"), scratch);
        assertTrue(scratch.contains("size=1024k"), scratch);
        String t = mounts.lines().filter(l -> l.split(" ")[1].equals("/t")).findFirst().orElseThrow(() -> new AssertionError(mounts));
        assertTrue(t.contains("size=2048k") && t.contains("mode=1770"), t);
        var write = docker("run", "--rm", "--network", "none", "--tmpfs", "/scratch", ref, "sh", "-c", "echo ok > /scratch/f; cat /scratch/f").assertOk();
        assertEquals("ok\n", write.stdout());
    }

    @Test
    void aSymlinkedDestinationResolvesInsideTheRootfs() throws Exception {
        // /escape -> <hostDir> in the image: the daemon must neither copy the host's files into the
        // volume nor write through to the host; inside the container the volume is at <hostDir>.
        var run = docker("run", "--rm", "--network", "none", "-v", "volumes-sym:/escape", volImage, "sh", "-c",
                "ls -A /escape; echo inside > " + hostDir + "/written").assertOk();
        assertEquals("", run.stdout(), "nothing from the host's " + hostDir);
        assertFalse(Files.exists(hostDir.resolve("written")));
        try (var s = Files.list(hostDir)) {
            assertEquals(List.of(hostDir.resolve("secret")), s.toList());
        }
        assertEquals("inside\n", Files.readString(volumeData("volumes-sym").resolve("written")));
        assertFalse(Files.exists(volumeData("volumes-sym").resolve("secret")));
        docker("volume", "rm", "volumes-sym").assertOk();

        var overFile = docker("create", "-v", "/afile", volImage, "true");
        assertEquals(1, overFile.exitCode());
        assertTrue(overFile.stderr().contains("cannot mount volume over existing file"), overFile.stderr());
    }

    @Test
    void volumeEventsAndDiskUsage() {
        long since = System.currentTimeMillis() / 1000 - 1;
        docker("run", "--rm", "--network", "none", "-v", "volumes-ev:/e", ref, "sh", "-c", "echo 12345 > /e/f").assertOk();
        assertTrue(docker("system", "df", "-v", "--format", "{{range .Volumes}}{{.Name}} {{.Links}}\n{{end}}").assertOk()
                .stdout().lines().anyMatch("volumes-ev 0"::equals));
        docker("volume", "rm", "volumes-ev").assertOk();
        long until = System.currentTimeMillis() / 1000 + 1;
        String events = docker("events", "--since", Long.toString(since), "--until", Long.toString(until), "--filter", "type=volume",
                "--format", "{{.Action}} {{.Actor.ID}}").assertOk().stdout();
        List<String> mine = events.lines().filter(l -> l.endsWith(" volumes-ev")).toList();
        assertEquals(List.of("create volumes-ev", "mount volumes-ev", "unmount volumes-ev", "destroy volumes-ev"), mine);
        String filtered = docker("events", "--since", Long.toString(since), "--until", Long.toString(until), "--filter",
                "volume=volumes-ev", "--format", "{{.Type}} {{.Action}} {{index .Actor.Attributes \"driver\"}}").assertOk().stdout();
        assertEquals("volume create local\nvolume mount local\nvolume unmount local\nvolume destroy local\n", filtered);
    }

    @Test
    void localDriverOptionsMountTmpfsAndBinds() throws Exception {
        docker("volume", "create", "-d", "local", "-o", "type=tmpfs", "-o", "device=tmpfs", "-o", "o=size=1m,uid=1000",
                "volumes-tmpfs").assertOk();
        String mounts = docker("run", "--rm", "--network", "none", "-v", "volumes-tmpfs:/v", ref, "sh", "-c",
                "echo t > /v/f; cat /proc/mounts").assertOk().stdout();
        assertTrue(mounts.lines().anyMatch(l -> l.startsWith("tmpfs /v tmpfs ") && l.contains("uid=1000")), mounts);
        assertFalse(Files.exists(volumeData("volumes-tmpfs").resolve("f")), "unmounted when no container uses it");
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "volumes-dev");
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        try {
            docker("volume", "create", "-o", "type=none", "-o", "o=bind", "-o", "device=" + dir, "volumes-bound").assertOk();
            docker("run", "--rm", "--network", "none", "-v", "volumes-bound:/b", ref, "sh", "-c", "echo b > /b/f").assertOk();
            assertEquals("b\n", Files.readString(dir.resolve("f")));
            assertEquals("map[device:" + dir + " o:bind type:none]",
                    docker("volume", "inspect", "-f", "{{.Options}}", "volumes-bound").assertOk().stdout().strip());
            docker("volume", "rm", "volumes-bound", "volumes-tmpfs").assertOk();
            assertTrue(Files.exists(dir.resolve("f")), "removing a bind volume leaves the device's files");
        } finally {
            LayerDirs.deleteRecursively(dir);
        }
    }

    /** The catalog keeps volumes and their users across a daemon restart, with the container still running. */
    @Test
    void volumesAndReferencesSurviveADaemonRestart() throws Exception {
        docker("volume", "create", "-o", "type=tmpfs", "-o", "device=tmpfs", "volumes-restart-tmp").assertOk();
        String id = docker("run", "-d", "--network", "none", "--name", "volumes-live", "-v", "volumes-live:/v",
                "-v", "volumes-restart-tmp:/t", ref, "sh", "-c", "echo a > /v/f; echo b > /t/f; sleep 300").assertOk().stdout().strip();
        Path tmpData = volumeData("volumes-restart-tmp");
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (!Files.exists(volumeData("volumes-live").resolve("f"))) {
            assertTrue(System.nanoTime() < deadline, "the container never wrote to its volume");
            Thread.sleep(50);
        }
        assertTrue(dev.berth.engine.runtime.MountInfo.isMountPoint(tmpData), "mounted while a container uses it");
        engine.daemon().restart();
        var rm = docker("volume", "rm", "volumes-live");
        assertEquals(1, rm.exitCode());
        assertTrue(rm.stderr().contains("volume is in use - [" + id + "]"), rm.stderr());
        assertEquals("true", docker("inspect", "-f", "{{.State.Running}}", "volumes-live").assertOk().stdout().strip());
        assertTrue(dev.berth.engine.runtime.MountInfo.isMountPoint(tmpData), "still mounted for the running container");
        docker("rm", "-f", "volumes-live").assertOk();
        assertFalse(dev.berth.engine.runtime.MountInfo.isMountPoint(tmpData), "unmounted once no container runs with it");
        assertEquals("a\n", Files.readString(volumeData("volumes-live").resolve("f")));
        docker("volume", "rm", "volumes-live", "volumes-restart-tmp").assertOk();
    }
}
