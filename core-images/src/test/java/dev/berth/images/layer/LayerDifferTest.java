package dev.berth.images.layer;

import dev.berth.images.manifest.MediaTypes.Compression;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static dev.berth.images.layer.TestSupport.isWhiteout;
import static dev.berth.images.layer.TestSupport.requireRoot;
import static dev.berth.images.layer.TestSupport.unpack;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerDifferTest {
    @TempDir
    Path tmp;

    @Test
    void unpackDiffUnpackGivesTheSameTree() throws IOException {
        requireRoot();
        ByteArrayOutputStream original = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(original);
        w.write("bin/", (byte) '5', 0755, 0, 0, 0, 1_500_000_000L, null, 0, 0, Map.of(), null);
        w.write("bin/ping", (byte) '0', 04755, 0, 0, 4, 1_500_000_001L, null, 0, 0,
                Map.of("user.bin", new byte[] {(byte) 0xff, 0, (byte) 0x80}), new ByteArrayInputStream("ping".getBytes()));
        w.finish();
        byte[] capsLayer = original.toByteArray();

        byte[] tar = new TestTar()
                .dir("etc", 0755, 0, 0)
                .file("etc/passwd", "root:x:0:0\n", 0644, 0, 0)
                .file("home/u/.profile", "export X=1\n", 0600, 1000, 1000)
                .file("usr/bin/busybox", "bb", 0755, 0, 0)
                .hardlink("usr/bin/sh", "usr/bin/busybox")
                .hardlink("usr/bin/ls", "usr/bin/busybox")
                .symlink("lib", "usr/lib")
                .symlink("etc/localtime", "/usr/share/zoneinfo/UTC")
                .device("dev/null", TarConstants.LF_CHR, 1, 3, 0666)
                .fifo("run/fifo", 0600)
                .file(".wh.removed", "")
                .file("var/.wh.cache", "")
                .dir("opt/app", 0750, 2000, 2000)
                .file("opt/app/.wh..wh..opq", "")
                .file("opt/app/run.sh", "#!/bin/sh\n", 0755, 2000, 2000)
                .file("tmp/" + "long-".repeat(30) + "name", "long")
                .bytes();

        Path first = tmp.resolve("first");
        unpack(tar, first);
        unpack(capsLayer, first); // a second layer in the same dir, only to add the binary xattr and setuid file

        byte[] diff = diff(first);
        Path second = tmp.resolve("second");
        unpack(diff, second);
        assertEquals(snapshot(first), snapshot(second));

        assertArrayEquals(diff, diff(first), "the same tree must give the same bytes");
        assertArrayEquals(diff, diff(second), "and so must its round-tripped copy");

        List<String> names = entryNames(diff);
        assertTrue(names.contains(".wh.removed"), names.toString());
        assertTrue(names.contains("var/.wh.cache"), names.toString());
        int app = names.indexOf("opt/app/");
        assertEquals("opt/app/.wh..wh..opq", names.get(app + 1), "the opaque marker comes first in its directory");
        // Whiteouts stand where the deleted name sorts, as Docker writes them; everything else is in path order.
        List<String> plain = names.stream().filter(n -> !n.contains(".wh.")).toList();
        assertEquals(plain.stream().sorted(LayerDifferTest::byPath).toList(), plain, "entries are sorted by path");
        assertTrue(names.indexOf(".wh.removed") > names.indexOf("opt/app/run.sh") && names.indexOf(".wh.removed") < names.indexOf("run/"));
    }

    @Test
    void overlayUpperDirBecomesAnOciLayer() throws Exception {
        requireRoot();
        Path lower = tmp.resolve("lower");
        unpack(new TestTar()
                .file("a", "a")
                .file("b", "old b")
                .file("d/x", "x")
                .file("d/y", "y")
                .file("keep/z", "z")
                .bytes(), lower);
        Path upper = Files.createDirectories(tmp.resolve("upper"));
        Path work = Files.createDirectories(tmp.resolve("work"));
        Path merged = Files.createDirectories(tmp.resolve("merged"));
        mount("lowerdir=" + lower + ",upperdir=" + upper + ",workdir=" + work, merged);
        try {
            Files.delete(merged.resolve("a"));
            LayerDirs.deleteRecursively(merged.resolve("d"));
            Files.createDirectory(merged.resolve("d"));
            Files.writeString(merged.resolve("d/new"), "new");
            Files.writeString(merged.resolve("b"), "new b");
            Files.writeString(merged.resolve("c"), "c");
        } finally {
            umount(merged);
        }

        byte[] layer = diff(upper);
        List<String> names = entryNames(layer);
        assertEquals(List.of(".wh.a", "b", "c", "d/", "d/.wh..wh..opq", "d/new"), names);

        Path applied = tmp.resolve("applied");
        unpack(TestSupport.gzip(layer), Compression.GZIP, applied);
        assertTrue(isWhiteout(applied.resolve("a")));
        assertArrayEquals(new byte[] {'y'}, Posix.lgetxattr(applied.resolve("d"), LayerWriter.OPAQUE_XATTR));

        // The real test: overlay shows the new layer over the old one as the container saw it.
        Path view = Files.createDirectories(tmp.resolve("view"));
        mount("ro,lowerdir=" + applied + ":" + lower, view);
        try {
            assertFalse(Files.exists(view.resolve("a")));
            assertEquals("new b", Files.readString(view.resolve("b")));
            assertEquals("c", Files.readString(view.resolve("c")));
            try (Stream<Path> d = Files.list(view.resolve("d"))) {
                assertEquals(List.of("new"), d.map(p -> p.getFileName().toString()).toList());
            }
            assertEquals("z", Files.readString(view.resolve("keep/z")));
        } finally {
            umount(view);
        }
    }

    private static byte[] diff(Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new LayerDiffer().writeDiff(dir, out);
        return out.toByteArray();
    }

    private static List<String> entryNames(byte[] tar) throws IOException {
        TarReader reader = new TarReader(new ByteArrayInputStream(tar), 4096);
        List<String> names = new ArrayList<>();
        TarHeader h;
        while ((h = reader.next()) != null) {
            names.add(h.name());
        }
        return names;
    }

    /** Parents before children, siblings by name: compare paths component by component. */
    private static int byPath(String a, String b) {
        String[] pa = a.split("/");
        String[] pb = b.split("/");
        for (int i = 0; i < Math.min(pa.length, pb.length); i++) {
            int c = pa[i].compareTo(pb[i]);
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(pa.length, pb.length);
    }

    /** Everything a lowerdir is made of, per path: type, mode, owner, mtime, content, target, device, xattrs, links. */
    private static Map<String, String> snapshot(Path root) throws IOException {
        Map<String, String> result = new TreeMap<>();
        Map<Object, String> inodes = new TreeMap<>();
        List<Path> paths;
        try (Stream<Path> s = Files.walk(root)) {
            paths = s.filter(p -> !p.equals(root)).sorted().toList();
        }
        for (Path p : paths) {
            Map<String, Object> a = Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,nlink,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            StringBuilder sb = new StringBuilder();
            sb.append(Integer.toOctalString(Files.isSymbolicLink(p) ? mode & Posix.S_IFMT : mode));
            sb.append(" ").append(a.get("uid")).append(":").append(a.get("gid"));
            sb.append(" t=").append(((java.nio.file.attribute.FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS));
            if (Files.isSymbolicLink(p)) {
                sb.append(" -> ").append(Files.readSymbolicLink(p));
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                sb.append(" content=").append(new String(Files.readAllBytes(p), StandardCharsets.UTF_8));
                if ((Integer) a.get("nlink") > 1) {
                    String rel = root.relativize(p).toString();
                    String first = inodes.putIfAbsent((Long) a.get("ino"), rel);
                    sb.append(" linkgroup=").append(first == null ? rel : first);
                }
            } else if (!Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                sb.append(" rdev=").append(a.get("rdev"));
            }
            if (!Files.isSymbolicLink(p)) {
                for (String x : Posix.llistxattr(p).stream().sorted().toList()) {
                    sb.append(" ").append(x).append("=").append(HexFormat.of().formatHex(Posix.lgetxattr(p, x)));
                }
            }
            result.put(root.relativize(p).toString(), sb.toString());
        }
        return result;
    }

    private static void mount(String options, Path where) throws Exception {
        run("mount", "-t", "overlay", "overlay", "-o", options, where.toString());
    }

    private static void umount(Path where) throws Exception {
        run("umount", where.toString());
    }

    private static void run(String... command) throws Exception {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new AssertionError(String.join(" ", command) + " failed: " + output);
        }
    }
}
