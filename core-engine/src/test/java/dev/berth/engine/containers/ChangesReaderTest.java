package dev.berth.engine.containers;

import dev.berth.images.layer.Posix;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docker diff from a fake overlay upper dir over two fake layers. */
class ChangesReaderTest {
    @TempDir
    Path dir;

    @Test
    void addedChangedDeletedAndOpaque() throws IOException {
        if (!Posix.isRoot()) {
            if ("true".equals(System.getenv("CI"))) {
                throw new AssertionError("whiteouts (mknod) and trusted.* xattrs need root");
            }
            Assumptions.abort("whiteouts (mknod) and trusted.* xattrs need root");
        }
        Path bottom = dir.resolve("l1");
        Path top = dir.resolve("l2");
        Path upper = dir.resolve("upper");
        for (String f : List.of("etc/passwd", "etc/hello", "var/cache/a", "var/cache/b", "usr/bin/tool")) {
            Files.createDirectories(bottom.resolve(f).getParent());
            Files.writeString(bottom.resolve(f), "x");
        }
        // the top layer deleted /usr/bin/tool with a whiteout
        Files.createDirectories(top.resolve("usr/bin"));
        Posix.mknod(top.resolve("usr/bin/tool"), Posix.S_IFCHR | 0600, 0);

        Files.createDirectories(upper.resolve("etc"));
        Files.writeString(upper.resolve("etc/passwd"), "changed");
        Posix.mknod(upper.resolve("etc/hello"), Posix.S_IFCHR | 0600, 0);
        Files.createDirectories(upper.resolve("data/sub"));
        Files.writeString(upper.resolve("data/sub/f"), "new");
        Files.createDirectories(upper.resolve("var/cache"));
        Posix.lsetxattr(upper.resolve("var/cache"), "trusted.overlay.opaque", new byte[] {'y'});
        Files.writeString(upper.resolve("var/cache/b"), "again");
        Files.createDirectories(upper.resolve("usr/bin"));
        Files.writeString(upper.resolve("usr/bin/tool"), "recreated after the layer deleted it");

        List<String> got = new ChangesReader(upper, List.of(top, bottom)).read().stream()
                .map(c -> "CAD".charAt(c.kind().ordinal()) + " " + c.path()).toList();
        assertEquals(List.of(
                "A /data", "A /data/sub", "A /data/sub/f",
                "C /etc", "D /etc/hello", "C /etc/passwd",
                "C /usr", "C /usr/bin", "A /usr/bin/tool",
                "C /var", "C /var/cache", "D /var/cache/a", "C /var/cache/b"), got);
        assertEquals(List.of(), new ChangesReader(dir.resolve("never-started"), List.of(bottom)).read());
    }
}
