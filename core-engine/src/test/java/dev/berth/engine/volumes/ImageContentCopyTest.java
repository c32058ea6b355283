package dev.berth.engine.volumes;

import dev.berth.images.layer.Posix;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ImageContentCopyTest {
    @TempDir
    Path tmp;

    static Map<String, Object> attrs(Path p) throws Exception {
        return Files.readAttributes(p, "unix:uid,gid,mode", LinkOption.NOFOLLOW_LINKS);
    }

    @Test
    void copiesOwnersModesLinksNodesAndXattrsWithoutFollowingLinks() throws Exception {
        if ("true".equals(System.getenv("CI"))) {
            assertTrue(Posix.isRoot(), "CI runs the tests as root");
        }
        assumeTrue(Posix.isRoot(), "chown needs root");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Path vol = Files.createDirectories(tmp.resolve("vol"));
        Files.writeString(src.resolve("file"), "content");
        Posix.lchown(src.resolve("file"), 1000, 1001);
        Posix.chmod(src.resolve("file"), 04750);
        Files.createDirectories(src.resolve("dir"));
        Posix.lchown(src.resolve("dir"), 33, 33);
        Posix.chmod(src.resolve("dir"), 0700);
        Files.createSymbolicLink(src.resolve("dir/etc"), Path.of("/etc"));
        Posix.mknod(src.resolve("fifo"), Posix.S_IFIFO | 0600, 0);
        Posix.lchown(src, 7, 8);
        Posix.chmod(src, 01777);
        boolean xattrs;
        try {
            Posix.lsetxattr(src.resolve("file"), "user.berth", "v".getBytes(StandardCharsets.UTF_8));
            xattrs = true;
        } catch (Posix.PosixException e) {
            xattrs = false;
        }

        assertTrue(ImageContentCopy.copyIfEmpty(src, vol));
        assertEquals("content", Files.readString(vol.resolve("file")));
        Map<String, Object> f = attrs(vol.resolve("file"));
        assertEquals(1000, f.get("uid"));
        assertEquals(1001, f.get("gid"));
        assertEquals(04750, (Integer) f.get("mode") & 07777, "set-id bits survive the chown");
        assertEquals(33, attrs(vol.resolve("dir")).get("uid"));
        assertEquals(0700, (Integer) attrs(vol.resolve("dir")).get("mode") & 07777);
        assertEquals(Path.of("/etc"), Files.readSymbolicLink(vol.resolve("dir/etc")), "a link stays a link");
        assertEquals(Posix.S_IFIFO, (Integer) attrs(vol.resolve("fifo")).get("mode") & Posix.S_IFMT, "a fifo is made, not opened");
        assertEquals(Files.getLastModifiedTime(src.resolve("file")), Files.getLastModifiedTime(vol.resolve("file")));
        assertEquals(7, attrs(vol).get("uid"), "the volume root takes the source directory's owner");
        assertEquals(01777, (Integer) attrs(vol).get("mode") & 07777);
        if (xattrs) {
            assertArrayEquals("v".getBytes(StandardCharsets.UTF_8), Posix.lgetxattr(vol.resolve("file"), "user.berth"));
        }
    }

    @Test
    void aVolumeWithContentOrASourceThatIsNoDirectoryIsLeftAlone() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("new"), "image");
        Path vol = Files.createDirectories(tmp.resolve("vol"));
        Files.writeString(vol.resolve("old"), "user");
        assertFalse(ImageContentCopy.copyIfEmpty(src, vol));
        assertFalse(Files.exists(vol.resolve("new")));

        Path empty = Files.createDirectories(tmp.resolve("empty"));
        Files.createSymbolicLink(tmp.resolve("link"), src);
        assertFalse(ImageContentCopy.copyIfEmpty(tmp.resolve("link"), empty), "a symlink is not followed");
        assertFalse(ImageContentCopy.copyIfEmpty(tmp.resolve("missing"), empty));
        assertEquals(List.of(), Files.list(empty).toList());
    }
}
