package dev.berth.engine.containers;

import dev.berth.errors.BerthException;
import dev.berth.images.layer.TarWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** cp into a container: hostile archives and hostile container symlinks stay inside the root. */
class ArchiveExtractorTest {
    @TempDir
    Path dir;

    private interface Entries {
        void write(TarWriter t) throws IOException;
    }

    private static byte[] tar(Entries e) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter t = new TarWriter(out);
        e.write(t);
        t.finish();
        return out.toByteArray();
    }

    private static void file(TarWriter t, String name, String content) throws IOException {
        byte[] b = content.getBytes(StandardCharsets.UTF_8);
        t.write(name, (byte) '0', 0644, 0, 0, b.length, 0, null, 0, 0, Map.of(), new ByteArrayInputStream(b));
    }

    private int extract(Path root, String base, byte[] tar) throws IOException {
        int uid = dev.berth.images.layer.Posix.geteuid();
        int gid = dev.berth.images.layer.Posix.getegid();
        return new ArchiveExtractor(root, base, true, uid, gid).extract(new ByteArrayInputStream(tar));
    }

    @Test
    void dotDotEntriesAreRefused() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root/dst"));
        var e = assertThrows(BerthException.class, () -> extract(root.getParent(), "/dst", tar(t -> file(t, "../../evil", "x"))));
        assertTrue(e.getMessage().contains("outside the extraction directory"), e.getMessage());
        assertFalse(Files.exists(dir.resolve("evil")));
    }

    @Test
    void symlinksLeadInsideTheRootOnly() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path host = Files.createDirectories(dir.resolve("host"));
        // The container's own link to a host-looking absolute path, and one that climbs.
        Files.createSymbolicLink(root.resolve("abs"), host);
        Files.createDirectories(root.resolve(host.toString().substring(1)));
        Files.createSymbolicLink(root.resolve("up"), Path.of("../../../.."));
        // The archive's own link, then a file through it.
        extract(root, "/", tar(t -> {
            t.write("link", (byte) '2', 0777, 0, 0, 0, 0, "/", 0, 0, Map.of(), null);
            file(t, "link/through-archive-link", "a");
            file(t, "abs/through-abs", "b");
            file(t, "up/through-up", "c");
        }));
        try (var s = Files.list(host)) {
            assertEquals(0, s.count(), "nothing written on the host");
        }
        assertFalse(Files.exists(dir.resolve("through-up")));
        assertEquals("a", Files.readString(root.resolve("through-archive-link")));
        assertEquals("b", Files.readString(root.resolve(host.toString().substring(1)).resolve("through-abs")));
        assertEquals("c", Files.readString(root.resolve("through-up")));
    }

    @Test
    void missingParentsAreCreatedInsideTheRootOnly() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path host = dir.resolve("host-missing");
        // A container link to an absolute path that does not exist (on the host either).
        Files.createSymbolicLink(root.resolve("away"), host);
        extract(root, "/", tar(t -> {
            file(t, "tmp/early.txt", "early");
            file(t, "a/b/c/deep.txt", "deep");
            file(t, "away/sub/f", "scoped");
        }));
        assertEquals("early", Files.readString(root.resolve("tmp/early.txt")));
        assertEquals("deep", Files.readString(root.resolve("a/b/c/deep.txt")));
        assertEquals("rwxr-xr-x", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(root.resolve("a/b"))));
        assertFalse(Files.exists(host), "nothing created on the host");
        assertEquals("scoped", Files.readString(root.resolve(host.toString().substring(1)).resolve("sub/f")));
    }

    @Test
    void aFileOverASymlinkReplacesTheLinkNotItsTarget() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Path target = Files.writeString(dir.resolve("host-file"), "host");
        Files.createSymbolicLink(root.resolve("f"), target);
        extract(root, "/", tar(t -> file(t, "f", "container")));
        assertEquals("host", Files.readString(target));
        assertFalse(Files.isSymbolicLink(root.resolve("f")));
        assertEquals("container", Files.readString(root.resolve("f")));
    }

    @Test
    void hardLinksMustPointInsideAndNoOverwriteDirNonDirIsHonoured() throws IOException {
        Path root = Files.createDirectories(dir.resolve("root"));
        Files.writeString(dir.resolve("outside"), "secret");
        var e = assertThrows(BerthException.class, () -> extract(root, "/", tar(t ->
                t.write("h", (byte) '1', 0644, 0, 0, 0, 0, "../outside", 0, 0, Map.of(), null))));
        assertTrue(e.getMessage().contains("outside the extraction directory"), e.getMessage());

        Files.createDirectories(root.resolve("d"));
        var dirOverwrite = assertThrows(BerthException.class, () -> extract(root, "/", tar(t -> file(t, "d", "x"))));
        assertTrue(dirOverwrite.getMessage().contains("cannot overwrite directory"), dirOverwrite.getMessage());
        assertTrue(Files.isDirectory(root.resolve("d")));

        extract(root, "/", tar(t -> {
            file(t, "d/one", "1");
            t.write("d/two", (byte) '1', 0644, 0, 0, 0, 0, "d/one", 0, 0, Map.of(), null);
        }));
        assertEquals("1", Files.readString(root.resolve("d/two")));
    }

    @Test
    void scopedResolutionClampsAtTheRoot() throws IOException {
        Path root = Files.createDirectories(dir.resolve("r"));
        Files.createDirectories(root.resolve("a/b"));
        Files.createSymbolicLink(root.resolve("a/b/loop"), Path.of("../../../../../../a"));
        Files.createSymbolicLink(root.resolve("etc"), Path.of("/a/b"));
        assertEquals(root.resolve("a/b"), ScopedPath.resolve(root, "/a/b/loop/b", true, false));
        assertEquals(root.resolve("a/b/x"), ScopedPath.resolve(root, "/etc/x", true, false));
        assertEquals(root.resolve("etc"), ScopedPath.resolve(root, "/etc", false, false));
        assertEquals(root, ScopedPath.resolve(root, "/../../..", true, false));
        assertEquals(root.resolve("missing/x"), ScopedPath.resolve(root, "/missing/x", true, false));
    }

    @Test
    void pinnedDirectoriesResolveInTheRootAndNeverFollowADescendedLink() throws IOException {
        Path root = Files.createDirectories(dir.resolve("pinned"));
        Files.createDirectories(root.resolve("a"));
        Files.writeString(root.resolve("a/marker"), "in");
        Files.createSymbolicLink(root.resolve("abs"), Path.of("/a"));
        Files.createSymbolicLink(root.resolve("climb"), Path.of("../../../../a"));
        try (PinnedDir r = PinnedDir.open(root);
             PinnedDir viaAbs = r.openInRoot("/abs");
             PinnedDir viaClimb = r.openInRoot("/climb")) {
            assertEquals("in", Files.readString(viaAbs.path().resolve("marker")), "an absolute link is taken from the root");
            assertEquals("in", Files.readString(viaClimb.path().resolve("marker")), "\"..\" stops at the root");
            assertThrows(java.nio.file.NotDirectoryException.class, () -> r.openChild("abs"));
        }
    }
}
