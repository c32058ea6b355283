package dev.berth.engine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RootfsPathTest {
    @TempDir
    Path root;

    @Test
    void plainPathsAndMissingComponents() throws Exception {
        Files.createDirectories(root.resolve("a/b"));
        assertEquals(root.resolve("a/b"), RootfsPath.resolve(root, "/a/b"));
        assertEquals(root.resolve("a/missing/x"), RootfsPath.resolve(root, "/a/./missing//x"));
        assertEquals(root, RootfsPath.resolve(root, "/"));
    }

    @Test
    void dotDotNeverClimbsAboveTheRoot() throws Exception {
        assertEquals(root.resolve("etc"), RootfsPath.resolve(root, "/../../../etc"));
    }

    @Test
    void absoluteLinksRestartAtTheRoot() throws Exception {
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("data"), Path.of("/real"));
        Files.createSymbolicLink(root.resolve("escape"), Path.of("/etc"));
        assertEquals(root.resolve("real/x"), RootfsPath.resolve(root, "/data/x"));
        assertEquals(root.resolve("etc"), RootfsPath.resolve(root, "/escape"), "the host's /etc is never reached");
    }

    @Test
    void relativeLinksAreClampedToo() throws Exception {
        Files.createDirectories(root.resolve("a"));
        Files.createSymbolicLink(root.resolve("a/up"), Path.of("../../../../tmp"));
        Files.createSymbolicLink(root.resolve("a/sib"), Path.of("../b"));
        assertEquals(root.resolve("tmp"), RootfsPath.resolve(root, "/a/up"));
        assertEquals(root.resolve("b/c"), RootfsPath.resolve(root, "/a/sib/c"));
    }

    @Test
    void linkLoopsEnd() throws Exception {
        Files.createSymbolicLink(root.resolve("loop"), Path.of("/loop"));
        assertThrows(dev.berth.errors.BerthException.class, () -> RootfsPath.resolve(root, "/loop/x"));
    }
}
