package dev.berth.engine.build;

import dev.berth.images.layer.TarHeader;
import dev.berth.images.layer.TarReader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** moby's tarsum, checked against moby's own test vectors and a sum dockerd 20.10 wrote in a history. */
class TarSumTest {
    @TempDir
    Path dir;

    /** moby's tarSum.Sum(extra): sha256 of extra, then every entry's sum sorted, as hex text. */
    static String wholeTarSum(String resource, byte[] extra) throws IOException {
        List<String> sums = new ArrayList<>();
        TarSum.Collector c = new TarSum.Collector(sums::add);
        try (InputStream in = TarSumTest.class.getResourceAsStream("/tarsum/" + resource)) {
            TarReader r = new TarReader(in, 8192);
            TarHeader h;
            while ((h = r.next()) != null) {
                c.entry(h);
                ByteBuffer chunk;
                while (h.type() == TarHeader.Type.REGULAR && (chunk = r.contentChunk()) != null) {
                    c.content(chunk);
                }
            }
        }
        c.finish();
        sums.sort(null);
        MessageDigest md = TarSum.sha256();
        md.update(extra);
        sums.forEach(s -> md.update(s.getBytes(StandardCharsets.US_ASCII)));
        return "tarsum.dev+sha256:" + HexFormat.of().formatHex(md.digest());
    }

    static byte[] resource(String name) throws IOException {
        try (InputStream in = TarSumTest.class.getResourceAsStream("/tarsum/" + name)) {
            return in.readAllBytes();
        }
    }

    @Test
    void mobysTestVectorsWithTheV1HeaderSelection() throws IOException {
        assertEquals("tarsum.dev+sha256:db56e35eec6ce65ba1588c20ba6b1ea23743b59e81fb6b7f358ccbde5580345c",
                wholeTarSum("layer-46af0962.tar", resource("layer-46af0962.json")));
        // xattrs (SCHILY.xattr PAX records) take part, sorted by name
        assertEquals("tarsum.dev+sha256:6c58917892d77b3b357b0f9ad1e28e1f4ae4de3a8006bd3beb8beda214d8fd16",
                wholeTarSum("layer-xattr.tar", resource("layer-xattr.json")));
    }

    /** dockerd 20.10 wrote {@code ADD 8bc6744b… in /dl/} for this download (root's, 0600): uname "root" is hashed. */
    @Test
    void aFileFromDiskAsDockerd2010HashesIt() throws IOException {
        Path f = dir.resolve("remote.txt");
        Files.writeString(f, "over http\n");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
        Files.setAttribute(f, "unix:uid", 0);
        Files.setAttribute(f, "unix:gid", 0);
        assertEquals("8bc6744b0a9b4759ee0b5700bc1e09bbbb8cfab7ef1b5c74a0ecbffdb304e30a", TarSum.ofFile(f, "remote.txt"));
    }

    @Test
    void walkOrderIsGosWalkDirNotPathOrder() throws IOException {
        Files.createDirectories(dir.resolve("a"));
        Files.createDirectories(dir.resolve("a.b"));
        Files.writeString(dir.resolve("a/x"), "");
        Files.writeString(dir.resolve("a.b/x"), "");
        List<String> rel = SourceHashes.walk(dir).stream().map(p -> dir.relativize(p).toString()).toList();
        assertEquals(List.of("", "a", "a/x", "a.b", "a.b/x"), rel);
        assertEquals(List.of(dir.resolve("a/x"), dir.resolve("a.b/x")), SourceHashes.matches(dir, "*/x"));
    }

    @Test
    void entryNamesAreCleanedAsMobyKeysThem() {
        assertEquals("sub", TarSum.entryName("sub/"));
        assertEquals("a/b", TarSum.entryName("./a/b"));
        assertEquals("x", TarSum.entryName("/../x"));
        assertEquals(".", TarSum.entryName("./"));
    }
}
