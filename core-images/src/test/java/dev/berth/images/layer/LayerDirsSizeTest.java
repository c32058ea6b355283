package dev.berth.images.layer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** A writable layer's or a volume's size: the regular files' bytes, links not followed. */
class LayerDirsSizeTest {
    @Test
    void sumsRegularFilesOnlyAndFollowsNoLink(@TempDir Path dir, @TempDir Path outside) throws IOException {
        Files.write(dir.resolve("a"), new byte[3]);
        Files.createDirectories(dir.resolve("d/e"));
        Files.write(dir.resolve("d/e/b"), new byte[1000]);
        Files.write(outside.resolve("big"), new byte[50_000]);
        Files.createSymbolicLink(dir.resolve("link-to-file"), outside.resolve("big"));
        Files.createSymbolicLink(dir.resolve("link-to-dir"), outside);
        assertEquals(1003, LayerDirs.regularFilesSize(dir));
        assertEquals(0, LayerDirs.regularFilesSize(dir.resolve("missing")), "an unreadable start is skipped as any entry");
    }
}
