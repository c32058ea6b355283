package dev.berth.engine.build;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A build context arrives plain or in any compression moby's DecompressStream reads. */
class BuildContextTest {
    @TempDir
    Path tmp;

    interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    static byte[] context(Compressor c) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream z = c.wrap(bytes); TarArchiveOutputStream tar = new TarArchiveOutputStream(z)) {
            byte[] body = "FROM scratch\n".getBytes(StandardCharsets.UTF_8);
            TarArchiveEntry e = new TarArchiveEntry("Dockerfile");
            e.setSize(body.length);
            tar.putArchiveEntry(e);
            tar.write(body);
            tar.closeArchiveEntry();
        }
        return bytes.toByteArray();
    }

    @Test
    void plainGzipBzip2XzAndZstdContextsUnpackAlike() throws IOException {
        Compressor[] all = {out -> out, GZIPOutputStream::new, BZip2CompressorOutputStream::new,
                XZCompressorOutputStream::new, ZstdOutputStream::new};
        BuildTemp temp = new BuildTemp(tmp);
        for (Compressor c : all) {
            try (BuildContext ctx = BuildContext.fromTar(new ByteArrayInputStream(context(c)), temp)) {
                assertEquals("FROM scratch\n", ctx.dockerfile("Dockerfile"));
            }
        }
    }

    /** A context is deleted after its build without the build waiting for it, and nothing stays behind. */
    @Test
    void aClosedContextIsDeletedInTheBackground() throws IOException {
        BuildTemp temp = new BuildTemp(tmp.resolve("build-tmp"));
        Path dir;
        try (BuildContext ctx = BuildContext.fromTar(new ByteArrayInputStream(context(out -> out)), temp)) {
            dir = ctx.dir();
            assertTrue(Files.isRegularFile(dir.resolve("Dockerfile")));
        }
        assertTrue(temp.awaitDeletions(Duration.ofSeconds(30)), "the deletion did not end");
        assertFalse(Files.exists(dir), dir + " is still there");
        try (var left = Files.list(tmp.resolve("build-tmp"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    /** A body that is not a tar: an error, and no half-unpacked context stays in the scratch space. */
    @Test
    void aBrokenContextLeavesNothingBehind() throws IOException {
        BuildTemp temp = new BuildTemp(tmp.resolve("build-tmp"));
        byte[] garbage = "this is not a tar archive, and longer than one block? no".repeat(20).getBytes(StandardCharsets.UTF_8);
        assertThrows(Exception.class, () -> BuildContext.fromTar(new ByteArrayInputStream(garbage), temp).close());
        assertTrue(temp.awaitDeletions(Duration.ofSeconds(30)));
        try (var left = Files.list(tmp.resolve("build-tmp"))) {
            assertEquals(List.of(), left.toList());
        }
    }

    /** What a daemon that was killed mid-build left is deleted when the next one starts. */
    @Test
    void leftoversOfAnEarlierDaemonAreSweptAtStart() throws IOException {
        Path root = tmp.resolve("build-tmp");
        Files.createDirectories(root.resolve("ctx-123/src/deep"));
        Files.writeString(root.resolve("ctx-123/src/deep/file"), "x");
        Files.createDirectories(root.resolve("copy-456/stage"));
        BuildTemp temp = new BuildTemp(root).sweepLeftovers();
        assertTrue(temp.awaitDeletions(Duration.ofSeconds(30)));
        try (var left = Files.list(root)) {
            assertEquals(List.of(), left.toList());
        }
        Path fresh = temp.create("ctx-");
        assertTrue(Files.isDirectory(fresh));
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(fresh)));
    }
}
