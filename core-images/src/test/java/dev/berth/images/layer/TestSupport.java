package dev.berth.images.layer;

import com.github.luben.zstd.ZstdOutputStream;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.manifest.MediaTypes.Compression;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.function.Executable;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

final class TestSupport {
    private TestSupport() {
    }

    /** Root-only tests: skipped on a developer's non-root run, but a failure in CI, which runs as root. */
    static void requireRoot() {
        if (Posix.isRoot()) {
            return;
        }
        if ("true".equals(System.getenv("CI"))) {
            fail("this test needs root, and CI runs as root");
        }
        Assumptions.abort("needs root");
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] zstd(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream z = new ZstdOutputStream(out)) {
            z.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] compress(byte[] tar, Compression c) {
        return switch (c) {
            case NONE -> tar;
            case GZIP -> gzip(tar);
            case ZSTD -> zstd(tar);
        };
    }

    static UnpackResult unpack(byte[] blob, Compression c, Path target) throws IOException {
        return new LayerUnpacker().unpack(new ByteArrayInputStream(blob), c, target);
    }

    static UnpackResult unpack(byte[] tar, Path target) throws IOException {
        return unpack(tar, Compression.NONE, target);
    }

    static BerthException assertFails(ErrorCategory category, String messagePart, Executable action) {
        BerthException e = assertThrows(BerthException.class, action);
        assertEquals(category, e.category(), e.getMessage());
        assertTrue(e.getMessage().contains(messagePart), () -> "message \"" + e.getMessage() + "\" lacks \"" + messagePart + "\"");
        return e;
    }

    static Map<String, Object> unix(Path p) throws IOException {
        return Files.readAttributes(p, "unix:mode,uid,gid,rdev,ino,nlink", LinkOption.NOFOLLOW_LINKS);
    }

    static int mode(Path p) throws IOException {
        return (Integer) unix(p).get("mode");
    }

    static boolean isWhiteout(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        Map<String, Object> a = unix(p);
        return ((Integer) a.get("mode") & Posix.S_IFMT) == Posix.S_IFCHR && (Long) a.get("rdev") == 0L;
    }

    static long countFiles(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.count() - 1;
        }
    }

    /** An InputStream that counts what was read, to prove the unpacker drains its input. */
    static final class CountingStream extends InputStream {
        private final InputStream in;
        long read;

        CountingStream(byte[] data) {
            this.in = new ByteArrayInputStream(data);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                read++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                read += n;
            }
            return n;
        }
    }
}
