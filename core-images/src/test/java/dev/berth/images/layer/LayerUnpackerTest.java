package dev.berth.images.layer;

import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.manifest.MediaTypes.Compression;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static dev.berth.images.layer.TestSupport.assertFails;
import static dev.berth.images.layer.TestSupport.isWhiteout;
import static dev.berth.images.layer.TestSupport.mode;
import static dev.berth.images.layer.TestSupport.requireRoot;
import static dev.berth.images.layer.TestSupport.unix;
import static dev.berth.images.layer.TestSupport.unpack;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LayerUnpackerTest {
    @TempDir
    Path tmp;

    private Path target() {
        return tmp.resolve("layer");
    }

    @Test
    void filesDirectoriesModesAndMtimes() throws IOException {
        byte[] tar = new TestTar()
                .dir("etc", 0750, 0, 0)
                .file("etc/hostname", "berth\n", 0640, 0, 0)
                .file("bin/tool", "#!/bin/sh\n", 0755, 0, 0)
                .file("usr/bin/su", "x", 04755, 0, 0)
                .dir("tmp", 01777, 0, 0)
                .dir("srv", 02775, 0, 0)
                .bytes();
        UnpackResult result = unpack(tar, target());
        Path root = target();
        assertEquals("berth\n", Files.readString(root.resolve("etc/hostname")));
        assertEquals(0100640, mode(root.resolve("etc/hostname")));
        assertEquals(040750, mode(root.resolve("etc")));
        assertEquals(0100755, mode(root.resolve("bin/tool")));
        assertEquals(0104755, mode(root.resolve("usr/bin/su")), "setuid survives");
        assertEquals(041777, mode(root.resolve("tmp")), "sticky survives");
        assertEquals(042775, mode(root.resolve("srv")), "setgid survives");
        // Parents the tar never listed are made 0755.
        assertEquals(040755, mode(root.resolve("usr")));
        assertEquals(040755, mode(root.resolve("usr/bin")));
        // Directory mtimes are set after their contents were written.
        assertEquals(TestTar.MTIME, mtime(root.resolve("etc")));
        assertEquals(TestTar.MTIME, mtime(root.resolve("etc/hostname")));
        assertEquals(6, result.fileCount());
    }

    @Test
    void ownershipIncludingSetuidAfterChown() throws IOException {
        requireRoot();
        byte[] tar = new TestTar()
                .file("owned", "x", 0644, 1234, 5678)
                .file("suid", "x", 06755, 1000, 1000)
                .dir("home/user", 0700, 1000, 1000)
                .bytes();
        unpack(tar, target());
        Map<String, Object> owned = unix(target().resolve("owned"));
        assertEquals(1234, owned.get("uid"));
        assertEquals(5678, owned.get("gid"));
        assertEquals(0106755, mode(target().resolve("suid")), "chown must not clear setuid/setgid");
        assertEquals(1000, unix(target().resolve("suid")).get("uid"));
        assertEquals(1000, unix(target().resolve("home/user")).get("uid"));
    }

    @Test
    void ownershipInSetgidDirectoryIsTheTarsNotInherited() throws IOException {
        requireRoot();
        byte[] tar = new TestTar()
                .dir("shared", 02775, 0, 50)
                .file("shared/file", "x", 0644, 0, 0)
                .bytes();
        unpack(tar, target());
        assertEquals(0, unix(target().resolve("shared/file")).get("gid"), "setgid parent must not decide the group");
    }

    @Test
    void symlinksKeepTheirTargetVerbatimAndTheirMtime() throws IOException {
        byte[] tar = new TestTar()
                .file("usr/lib/libx.so.1", "elf")
                .symlink("usr/lib/libx.so", "libx.so.1")
                .symlink("abs", "/usr/lib/libx.so.1")
                .symlink("dangling", "../nowhere/at/all")
                .bytes();
        unpack(tar, target());
        Path root = target();
        assertEquals("libx.so.1", Files.readSymbolicLink(root.resolve("usr/lib/libx.so")).toString());
        assertEquals("/usr/lib/libx.so.1", Files.readSymbolicLink(root.resolve("abs")).toString());
        assertEquals("../nowhere/at/all", Files.readSymbolicLink(root.resolve("dangling")).toString());
        assertEquals(TestTar.MTIME, Files.getLastModifiedTime(root.resolve("abs"), LinkOption.NOFOLLOW_LINKS).to(TimeUnit.SECONDS));
    }

    @Test
    void hardlinksShareTheInode() throws IOException {
        byte[] tar = new TestTar()
                .file("bin/busybox", "multi-call")
                .hardlink("bin/sh", "bin/busybox")
                .hardlink("/bin/ls", "/bin/busybox")
                .bytes();
        unpack(tar, target());
        Object ino = unix(target().resolve("bin/busybox")).get("ino");
        assertEquals(ino, unix(target().resolve("bin/sh")).get("ino"));
        assertEquals(ino, unix(target().resolve("bin/ls")).get("ino"));
        assertEquals(3, unix(target().resolve("bin/busybox")).get("nlink"));
    }

    @Test
    void devicesAndFifos() throws IOException {
        requireRoot();
        byte[] tar = new TestTar()
                .device("dev/null", TarConstants.LF_CHR, 1, 3, 0666)
                .device("dev/loop0", TarConstants.LF_BLK, 7, 0, 0660)
                .device("dev/big", TarConstants.LF_CHR, 300, 70000, 0600)
                .fifo("run/pipe", 0620)
                .bytes();
        unpack(tar, target());
        Map<String, Object> nul = unix(target().resolve("dev/null"));
        assertEquals(Posix.S_IFCHR | 0666, nul.get("mode"));
        assertEquals(Posix.makedev(1, 3), nul.get("rdev"));
        Map<String, Object> loop = unix(target().resolve("dev/loop0"));
        assertEquals(Posix.S_IFBLK | 0660, loop.get("mode"));
        assertEquals(Posix.makedev(7, 0), loop.get("rdev"));
        long big = (Long) unix(target().resolve("dev/big")).get("rdev");
        assertEquals(300, Posix.major(big));
        assertEquals(70000, Posix.minor(big));
        assertEquals(Posix.S_IFIFO | 0620, mode(target().resolve("run/pipe")));
    }

    @Test
    void xattrsFromPaxRecordsIncludingBinaryValues() throws IOException {
        byte[] binary = {(byte) 0xff, 0, (byte) 0x80, (byte) 0xfe, 'a'};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        w.write("bin/", (byte) '5', 0755, 0, 0, 0, TestTar.MTIME, null, 0, 0, Map.of(), null);
        w.write("bin/ping", (byte) '0', 0755, 0, 0, 4, TestTar.MTIME, null, 0, 0,
                Map.of("user.bin", binary, "user.text", "hello".getBytes(StandardCharsets.UTF_8)),
                new ByteArrayInputStream("ping".getBytes(StandardCharsets.UTF_8)));
        w.finish();
        unpack(out.toByteArray(), target());
        Path ping = target().resolve("bin/ping");
        assertArrayEquals(binary, Posix.lgetxattr(ping, "user.bin"), "binary xattr must survive byte for byte");
        assertArrayEquals("hello".getBytes(StandardCharsets.UTF_8), Posix.lgetxattr(ping, "user.text"));
    }

    @Test
    void xattrsWrittenByCommonsCompressAndOverlayXattrsIgnored() throws IOException {
        requireRoot();
        byte[] tar = new TestTar()
                .dirWithXattrs("d", Map.of("user.origin", "cc", "trusted.overlay.opaque", "y",
                        "trusted.overlay.redirect", "/elsewhere"))
                .bytes();
        unpack(tar, target());
        Path d = target().resolve("d");
        assertArrayEquals("cc".getBytes(StandardCharsets.UTF_8), Posix.lgetxattr(d, "user.origin"));
        assertNull(Posix.lgetxattr(d, "trusted.overlay.opaque"), "a layer must not steer overlayfs through raw xattrs");
        assertNull(Posix.lgetxattr(d, "trusted.overlay.redirect"));
    }

    @Test
    void securityCapabilityIsApplied() throws IOException {
        requireRoot();
        // vfs_cap_data revision 2, permitted = CAP_NET_RAW (bit 13).
        byte[] cap = {0, 0, 0, 2, 0, 0x20, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        TarWriter w = new TarWriter(out);
        w.write("ping", (byte) '0', 0755, 0, 0, 1, TestTar.MTIME, null, 0, 0, Map.of("security.capability", cap),
                new ByteArrayInputStream(new byte[] {1}));
        w.finish();
        unpack(out.toByteArray(), target());
        assertArrayEquals(cap, Posix.lgetxattr(target().resolve("ping"), "security.capability"));
    }

    @Test
    void whiteoutBecomesACharacterDevice00() throws IOException {
        requireRoot();
        byte[] tar = new TestTar()
                .file(".wh.gone", "")
                .file("etc/.wh.passwd", "")
                .bytes();
        UnpackResult result = unpack(tar, target());
        assertTrue(isWhiteout(target().resolve("gone")));
        assertTrue(isWhiteout(target().resolve("etc/passwd")));
        assertFalse(Files.exists(target().resolve(".wh.gone"), LinkOption.NOFOLLOW_LINKS), "the marker itself is not written");
        assertEquals(2, result.fileCount());
    }

    @Test
    void whiteoutHidesLowerLayersOnlyNotThisLayersOwnEntries() throws IOException {
        requireRoot();
        byte[] tar = new TestTar()
                .file("before", "kept")
                .file(".wh.before", "")
                .file(".wh.after", "")
                .file("after", "kept too")
                .file(".wh.dirAfter", "")
                .dir("dirAfter")
                .file("dirAfter/x", "x")
                .dir("dirBefore")
                .file(".wh.dirBefore", "")
                .bytes();
        unpack(tar, target());
        assertEquals("kept", Files.readString(target().resolve("before")));
        assertEquals("kept too", Files.readString(target().resolve("after")));
        // A directory this layer adds while whiting out the lower one: opaque, ours kept.
        for (String d : new String[] {"dirAfter", "dirBefore"}) {
            Path dir = target().resolve(d);
            assertTrue(Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS), d);
            assertArrayEquals(new byte[] {'y'}, Posix.lgetxattr(dir, LayerWriter.OPAQUE_XATTR), d);
        }
        assertEquals("x", Files.readString(target().resolve("dirAfter/x")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"first", "middle", "last", "alone"})
    void opaqueMarkerWhereverItStandsKeepsThisLayersEntries(String where) throws IOException {
        requireRoot();
        TestTar t = new TestTar();
        if (!where.equals("alone")) {
            t.dir("d", 0700, 0, 0);
        }
        if (where.equals("first") || where.equals("alone")) {
            t.file("d/.wh..wh..opq", "");
        }
        if (!where.equals("alone")) {
            t.file("d/a", "a");
        }
        if (where.equals("middle")) {
            t.file("d/.wh..wh..opq", "");
        }
        if (!where.equals("alone")) {
            t.file("d/b", "b");
        }
        if (where.equals("last")) {
            t.file("d/.wh..wh..opq", "");
        }
        unpack(t.bytes(), target());
        Path d = target().resolve("d");
        assertArrayEquals(new byte[] {'y'}, Posix.lgetxattr(d, LayerWriter.OPAQUE_XATTR));
        assertFalse(Files.exists(d.resolve(".wh..wh..opq"), LinkOption.NOFOLLOW_LINKS));
        if (!where.equals("alone")) {
            assertEquals("a", Files.readString(d.resolve("a")));
            assertEquals("b", Files.readString(d.resolve("b")));
            assertEquals(040700, mode(d));
        }
    }

    @ParameterizedTest
    @EnumSource(Compression.class)
    void diffIdIsTheSha256OfTheUncompressedTar(Compression compression) throws IOException {
        byte[] tar = sampleTar();
        byte[] blob = TestSupport.compress(tar, compression);
        UnpackResult declared = unpack(blob, compression, tmp.resolve("declared"));
        UnpackResult sniffed = unpack(blob, null, tmp.resolve("sniffed"));
        Digest expected = Digest.sha256Of(tar);
        assertEquals(expected, declared.diffId());
        assertEquals(expected, sniffed.diffId());
        assertEquals(tar.length, declared.uncompressedSize());
        assertEquals("content of f0\n", Files.readString(tmp.resolve("sniffed/dir/f0")));
    }

    @Test
    void trailingDataIsDrainedAndCountedInTheDiffId() throws IOException {
        byte[] tar = sampleTar();
        byte[] padded = Arrays.copyOf(tar, tar.length + 10240); // tar record padding after the end marker
        byte[] gz = TestSupport.gzip(padded);
        byte[] blob = Arrays.copyOf(gz, gz.length + 7);
        System.arraycopy("garbage".getBytes(StandardCharsets.US_ASCII), 0, blob, gz.length, 7);
        TestSupport.CountingStream in = new TestSupport.CountingStream(blob);
        UnpackResult r = new LayerUnpacker().unpack(in, Compression.GZIP, target());
        assertEquals(blob.length, in.read, "the whole blob must be read, or the caller's digest misses bytes");
        assertEquals(Digest.sha256Of(padded), r.diffId());
        assertEquals(padded.length, r.uncompressedSize());
    }

    @Test
    void multiMemberGzipIsOneStream() throws IOException {
        byte[] tar = sampleTar();
        int third = tar.length / 3;
        ByteArrayOutputStream blob = new ByteArrayOutputStream();
        blob.writeBytes(TestSupport.gzip(Arrays.copyOfRange(tar, 0, third)));
        blob.writeBytes(TestSupport.gzip(Arrays.copyOfRange(tar, third, 2 * third)));
        blob.writeBytes(TestSupport.gzip(Arrays.copyOfRange(tar, 2 * third, tar.length)));
        UnpackResult r = unpack(blob.toByteArray(), Compression.GZIP, target());
        assertEquals(Digest.sha256Of(tar), r.diffId());
        assertEquals("content of f49\n", Files.readString(target().resolve("dir/f49")));
    }

    @Test
    void truncatedGzipFailsAsDataLoss() {
        byte[] gz = TestSupport.gzip(sampleTar());
        byte[] cut = Arrays.copyOf(gz, gz.length / 2);
        assertFails(ErrorCategory.DATA_LOSS, "truncated", () -> unpack(cut, Compression.GZIP, target()));
        byte[] noTrailer = Arrays.copyOf(gz, gz.length - 4);
        assertFails(ErrorCategory.DATA_LOSS, "truncated", () -> unpack(noTrailer, Compression.GZIP, tmp.resolve("t2")));
    }

    @Test
    void truncatedZstdFailsAsDataLoss() {
        byte[] z = TestSupport.zstd(sampleTar());
        byte[] cut = Arrays.copyOf(z, z.length / 2);
        assertFails(ErrorCategory.DATA_LOSS, "truncated", () -> unpack(cut, Compression.ZSTD, target()));
    }

    @Test
    void corruptOrMislabelledBlobsFailAsDataLoss() {
        byte[] gz = TestSupport.gzip(sampleTar());
        gz[gz.length - 6] ^= 0x55; // CRC in the trailer
        assertFails(ErrorCategory.DATA_LOSS, "corrupt", () -> unpack(gz, Compression.GZIP, target()));
        assertFails(ErrorCategory.DATA_LOSS, "", () -> unpack(sampleTar(), Compression.GZIP, tmp.resolve("plain-as-gzip")));
    }

    @Test
    void aFailingSourcePassesItsIOExceptionThrough() {
        byte[] gz = TestSupport.gzip(sampleTar());
        InputStream flaky = new InputStream() {
            int given;

            @Override
            public int read() {
                throw new UnsupportedOperationException();
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given > 100) {
                    throw new IOException("connection reset by registry");
                }
                int n = Math.min(len, 50);
                System.arraycopy(gz, given, b, off, n);
                given += n;
                return n;
            }
        };
        IOException e = assertThrows(IOException.class, () -> new LayerUnpacker().unpack(flaky, Compression.GZIP, target()));
        assertEquals("connection reset by registry", e.getMessage());
    }

    @Test
    void notATarFailsAsInvalid() {
        byte[] junk = new byte[4096];
        Arrays.fill(junk, (byte) 'j');
        assertFails(ErrorCategory.INVALID_ARGUMENT, "not a valid tar", () -> unpack(junk, target()));
    }

    @Test
    void laterDuplicatesWinAndReplaceWhatWasThere() throws IOException {
        byte[] tar = new TestTar()
                .file("f", "one")
                .file("f", "two")
                .dir("d")
                .file("d/inner", "x")
                .file("d", "now a file")
                .file("e", "file first")
                .dir("e")
                .symlink("s", "somewhere")
                .file("s", "not a link")
                .dir("m", 0700, 0, 0)
                .file("m/keep", "k")
                .dir("m", 0755, 0, 0)
                .bytes();
        unpack(tar, target());
        Path root = target();
        assertEquals("two", Files.readString(root.resolve("f")));
        assertEquals("now a file", Files.readString(root.resolve("d")));
        assertTrue(Files.isDirectory(root.resolve("e"), LinkOption.NOFOLLOW_LINKS));
        assertFalse(Files.isSymbolicLink(root.resolve("s")));
        assertEquals("not a link", Files.readString(root.resolve("s")));
        assertEquals("k", Files.readString(root.resolve("m/keep")), "a directory over a directory merges");
        assertEquals(040755, mode(root.resolve("m")));
    }

    @Test
    void longNamesInPaxAndGnuForm() throws IOException {
        String longDir = "a".repeat(60) + "/" + "b".repeat(60) + "/" + "c".repeat(40);
        String longLink = "/" + "t".repeat(150);
        for (int longMode : new int[] {TarArchiveOutputStream.LONGFILE_POSIX, TarArchiveOutputStream.LONGFILE_GNU}) {
            Path target = tmp.resolve("long" + longMode);
            byte[] tar = new TestTar(longMode)
                    .file(longDir + "/file-with-a-long-name.txt", "deep")
                    .file("ünïcödé/名前.txt", "utf8")
                    .symlink("link", longLink)
                    .bytes();
            unpack(tar, target);
            assertEquals("deep", Files.readString(target.resolve(longDir + "/file-with-a-long-name.txt")));
            assertEquals("utf8", Files.readString(target.resolve("ünïcödé/名前.txt")));
            assertEquals(longLink, Files.readSymbolicLink(target.resolve("link")).toString());
        }
    }

    @Test
    void sparseFilesAreRefusedClearly() {
        TarArchiveEntry gnuSparse = TestTar.entry("sparse.img", TarConstants.LF_GNUTYPE_SPARSE);
        byte[] t1 = new TestTar().entry(gnuSparse, null).bytes();
        assertFails(ErrorCategory.INVALID_ARGUMENT, "\"sparse.img\" is a GNU sparse file", () -> unpack(t1, target()));

        TarArchiveEntry paxSparse = TestTar.entry("sparse2.img", TarConstants.LF_NORMAL);
        paxSparse.addPaxHeader("GNU.sparse.major", "1");
        paxSparse.addPaxHeader("GNU.sparse.minor", "0");
        byte[] t2 = new TestTar().entry(paxSparse, new byte[0]).bytes();
        assertFails(ErrorCategory.INVALID_ARGUMENT, "sparse", () -> unpack(t2, tmp.resolve("t2")));
    }

    @Test
    void paxMtimeWithFractionAndLargeIds() throws IOException {
        requireRoot();
        TarArchiveEntry e = TestTar.entry("precise", TarConstants.LF_NORMAL);
        e.setMode(0644);
        // commons-compress keeps times in 100 ns units, so that is the precision the record can carry.
        e.addPaxHeader("mtime", "1700000000.1234567");
        e.setUserId(3_000_000L); // beyond 7 octal digits: a PAX uid record
        byte[] tar = new TestTar().entry(e, new byte[0]).bytes();
        unpack(tar, target());
        FileTime t = Files.getLastModifiedTime(target().resolve("precise"), LinkOption.NOFOLLOW_LINKS);
        assertEquals(1_700_000_000_123_456_700L, t.to(TimeUnit.NANOSECONDS));
        assertEquals(3_000_000, unix(target().resolve("precise")).get("uid"));
    }

    @Test
    void rootEntryAndEmptyArchive() throws IOException {
        byte[] tar = new TestTar().dir("./").dir("/").file("./x", "x").bytes();
        UnpackResult r = unpack(tar, target());
        assertEquals("x", Files.readString(target().resolve("x")));
        assertEquals(1, r.fileCount(), "the root entries configure nothing");
        UnpackResult empty = unpack(new byte[0], tmp.resolve("empty"));
        assertEquals(0, empty.fileCount());
        assertEquals(Digest.sha256Of(new byte[0]), empty.diffId());
    }

    @Test
    void largeFileCrossesManyBuffers() throws IOException {
        byte[] big = new byte[3 * 1024 * 1024 + 17];
        new java.util.Random(7).nextBytes(big);
        TarArchiveEntry e = TestTar.entry("big.bin", TarConstants.LF_NORMAL);
        e.setSize(big.length);
        e.setMode(0600);
        byte[] tar = new TestTar().entry(e, big).file("after", "a").bytes();
        unpack(TestSupport.gzip(tar), Compression.GZIP, target());
        assertArrayEquals(big, Files.readAllBytes(target().resolve("big.bin")));
        assertEquals("a", Files.readString(target().resolve("after")));
    }

    @Test
    void aFailedUnpackStopsItsReaderThread() {
        byte[] big = new byte[8 * 1024 * 1024];
        TarArchiveEntry e = TestTar.entry("big.bin", TarConstants.LF_NORMAL);
        e.setSize(big.length);
        byte[] tar = new TestTar().file("../escape", "x").entry(e, big).bytes();
        assertFails(ErrorCategory.INVALID_ARGUMENT, "\"../escape\"", () -> unpack(TestSupport.gzip(tar), Compression.GZIP, target()));
        boolean lingering = Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.getName().equals("layer-read-ahead") && t.isAlive());
        assertFalse(lingering, "the helper must be gone before unpack returns, or it could use freed native buffers");
    }

    static byte[] sampleTar() {
        TestTar t = new TestTar().dir("dir");
        for (int i = 0; i < 50; i++) {
            t.file("dir/f" + i, "content of f" + i + "\n");
        }
        return t.bytes();
    }

    private static long mtime(Path p) throws IOException {
        return Files.getLastModifiedTime(p, LinkOption.NOFOLLOW_LINKS).to(TimeUnit.SECONDS);
    }
}
