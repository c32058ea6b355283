package dev.berth.images.layer;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static dev.berth.images.layer.TestSupport.assertFails;
import static dev.berth.images.layer.TestSupport.unix;
import static dev.berth.images.layer.TestSupport.unpack;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Hostile layers. Each one must fail naming the entry, or land inside the target, and in every case
 * nothing may appear outside the target: {@code outside} is a sibling that must stay exactly as it was.
 */
class LayerUnpackerSecurityTest {
    @TempDir
    Path base;
    private Path target;
    private Path outside;
    private Path secret;

    @BeforeEach
    void layout() throws IOException {
        target = base.resolve("target");
        outside = base.resolve("outside");
        Files.createDirectories(outside);
        secret = base.resolve("secret");
        Files.writeString(secret, "do not touch");
    }

    @AfterEach
    void nothingEscaped() throws IOException {
        try (Stream<Path> s = Files.list(outside)) {
            assertEquals(List.of(), s.toList(), "the sentinel directory beside the target must stay empty");
        }
        try (Stream<Path> s = Files.list(base)) {
            assertEquals(List.of("outside", "secret", "target"), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        assertEquals("do not touch", Files.readString(secret));
        assertEquals(1, unix(secret).get("nlink"), "nothing may hard-link to a file outside");
    }

    private void assertEscapeRejected(String entry, byte[] tar) {
        BerthException e = assertFails(ErrorCategory.INVALID_ARGUMENT, "layer entry \"" + entry + "\"", () -> unpack(tar, target));
        assertTrue(e.getMessage().contains("escapes the layer root"), e.getMessage());
    }

    @Test
    void dotDotAtTheStart() {
        assertEscapeRejected("../outside/x", new TestTar().file("../outside/x", "pwned").bytes());
    }

    @Test
    void dotDotInTheMiddle() {
        assertEscapeRejected("a/../../outside/x", new TestTar().file("a/../../outside/x", "pwned").bytes());
    }

    @Test
    void dotDotThatStaysInsideIsAllowed() throws IOException {
        unpack(new TestTar().file("a/../b/x", "fine").bytes(), target);
        assertEquals("fine", Files.readString(target.resolve("b/x")));
    }

    @Test
    void absoluteNameLandsInsideTheRoot() throws IOException {
        byte[] passwd = Files.readAllBytes(Path.of("/etc/passwd"));
        unpack(new TestTar().file("/etc/passwd", "root:x:0:0::/root:/bin/sh\n").bytes(), target);
        assertEquals("root:x:0:0::/root:/bin/sh\n", Files.readString(target.resolve("etc/passwd")));
        assertEquals(Digest.sha256Of(passwd), Digest.sha256Of(Files.readAllBytes(Path.of("/etc/passwd"))), "host file untouched");
    }

    @Test
    void writingThroughAnAbsoluteSymlinkToOutside() {
        byte[] tar = new TestTar()
                .symlink("evil", outside.toString())
                .file("evil/file", "pwned")
                .bytes();
        assertEscapeRejected("evil/file", tar);
    }

    @Test
    void writingThroughARelativeSymlinkThatClimbsOut() {
        byte[] tar = new TestTar()
                .symlink("up", "../..")
                .file("up/outside/x", "pwned")
                .bytes();
        assertEscapeRejected("up/outside/x", tar);
    }

    @Test
    void writingThroughANestedSymlinkThatClimbsOut() {
        byte[] tar = new TestTar()
                .symlink("a/b/up", "../../../outside")
                .file("a/b/up/x", "pwned")
                .bytes();
        assertEscapeRejected("a/b/up/x", tar);
    }

    @Test
    void symlinkChainsAreFollowedOnlyWhileTheyStayInside() {
        byte[] tar = new TestTar()
                .symlink("one", "two")
                .symlink("two", "three/..")
                .dir("three")
                .symlink("four", "one/../..")
                .file("four/outside/x", "pwned")
                .bytes();
        assertFails(ErrorCategory.INVALID_ARGUMENT, "layer entry \"four/outside/x\"", () -> unpack(tar, target));
    }

    @Test
    void aSymlinkLoopIsCutOff() {
        byte[] tar = new TestTar()
                .symlink("loop1", "loop2")
                .symlink("loop2", "loop1")
                .file("loop1/x", "x")
                .bytes();
        assertFails(ErrorCategory.INVALID_ARGUMENT, "layer entry \"loop1/x\"", () -> unpack(tar, target));
    }

    @Test
    void aSymlinkInsideTheLayerIsFollowedInside() throws IOException {
        byte[] tar = new TestTar()
                .dir("usr/lib")
                .symlink("lib", "usr/lib")
                .file("lib/libc.so", "c")
                .bytes();
        unpack(tar, target);
        assertEquals("c", Files.readString(target.resolve("usr/lib/libc.so")));
        assertTrue(Files.isSymbolicLink(target.resolve("lib")));
    }

    @Test
    void symlinkReplacedByADirectoryIsARealDirectory() throws IOException {
        byte[] tar = new TestTar()
                .symlink("d", outside.toString())
                .dir("d")
                .file("d/x", "inside")
                .bytes();
        unpack(tar, target);
        assertFalse(Files.isSymbolicLink(target.resolve("d")));
        assertEquals("inside", Files.readString(target.resolve("d/x")));
    }

    @Test
    void directoryReplacedByASymlinkThenWrittenThrough() {
        byte[] tar = new TestTar()
                .dir("d")
                .file("d/first", "fine")
                .symlink("d", outside.toString())
                .file("d/x", "pwned")
                .bytes();
        assertEscapeRejected("d/x", tar);
    }

    @Test
    void aFileOverASymlinkReplacesTheLinkNotItsTarget() throws IOException {
        byte[] tar = new TestTar()
                .symlink("f", secret.toString())
                .file("f", "mine")
                .symlink("g", outside.resolve("new").toString())
                .file("g", "mine too")
                .bytes();
        unpack(tar, target);
        assertEquals("mine", Files.readString(target.resolve("f")));
        assertEquals("mine too", Files.readString(target.resolve("g")));
    }

    @Test
    void hardlinkToARelativePathOutside() {
        assertEscapeRejected("h", new TestTar().hardlink("h", "../secret").bytes());
        assertEscapeRejected("x/h", new TestTar().hardlink("x/h", "x/../../secret").bytes());
    }

    @Test
    void hardlinkToAnAbsolutePathOutside() {
        byte[] tar = new TestTar().hardlink("h", secret.toString()).bytes();
        assertFails(ErrorCategory.INVALID_ARGUMENT, "layer entry \"h\" is a hard link to \"" + secret + "\", which is not in the layer",
                () -> unpack(tar, target));
    }

    @Test
    void hardlinkThroughASymlinkToOutside() {
        byte[] tar = new TestTar()
                .symlink("evil", base.toString())
                .hardlink("h", "evil/secret")
                .bytes();
        assertEscapeRejected("h", tar);
    }

    @Test
    void hardlinkToASymlinkLinksTheSymlinkItself() throws IOException {
        byte[] tar = new TestTar()
                .symlink("s", secret.toString())
                .hardlink("h", "s")
                .bytes();
        unpack(tar, target);
        assertTrue(Files.isSymbolicLink(target.resolve("h")), "link(2) must not follow the symlink to the host file");
    }

    @Test
    void opaqueMarkerAndWhiteoutThroughAnEscapingSymlink() {
        TestSupport.requireRoot();
        byte[] opaque = new TestTar().symlink("evil", outside.toString()).file("evil/.wh..wh..opq", "").bytes();
        assertEscapeRejected("evil/.wh..wh..opq", opaque);
        byte[] whiteout = new TestTar().symlink("evil2", outside.toString()).file("evil2/.wh.x", "").bytes();
        assertFails(ErrorCategory.INVALID_ARGUMENT, "layer entry \"evil2/.wh.x\"", () -> unpack(whiteout, base.resolve("target")));
    }

    @Test
    void whiteoutNamesThatAreNotNames() {
        assertFails(ErrorCategory.INVALID_ARGUMENT, "layer entry \".wh.\"", () -> unpack(new TestTar().file(".wh.", "").bytes(), target));
        assertFails(ErrorCategory.INVALID_ARGUMENT, "layer entry \"a/.wh..\"",
                () -> unpack(new TestTar().file("a/.wh..", "").bytes(), base.resolve("target")));
    }

    @Test
    void aParentThatIsAFileIsRefused() {
        byte[] tar = new TestTar().file("f", "x").file("f/child", "y").bytes();
        assertFails(ErrorCategory.INVALID_ARGUMENT, "layer entry \"f/child\"", () -> unpack(tar, target));
    }

    @Test
    void theTargetItselfMayNotBeASymlink() throws IOException {
        Files.createSymbolicLink(target, outside);
        assertFails(ErrorCategory.INVALID_ARGUMENT, "not a directory", () -> unpack(new TestTar().file("x", "x").bytes(), target));
        Files.delete(target);
        Files.createDirectory(target);
    }

    @Test
    void deleteRecursivelyNeverFollowsSymlinks() throws IOException {
        Files.writeString(outside.resolve("precious"), "p");
        Files.createDirectories(target.resolve("a/b"));
        Files.createSymbolicLink(target.resolve("a/b/out"), outside);
        Files.createSymbolicLink(target.resolve("a/secret-link"), secret);
        Files.writeString(target.resolve("a/b/f"), "f");
        LayerDirs.deleteRecursively(target);
        assertFalse(Files.exists(target, LinkOption.NOFOLLOW_LINKS));
        assertEquals("p", Files.readString(outside.resolve("precious")));
        Files.delete(outside.resolve("precious"));

        Path link = base.resolve("target");
        Files.createSymbolicLink(link, outside);
        Files.writeString(outside.resolve("keep"), "k");
        LayerDirs.deleteRecursively(link);
        assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS), "a symlink argument is removed as a link");
        assertTrue(Files.exists(outside.resolve("keep")));
        Files.delete(outside.resolve("keep"));
        Files.createDirectory(target);
    }
}
