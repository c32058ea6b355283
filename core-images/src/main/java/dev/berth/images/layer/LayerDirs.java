package dev.berth.images.layer;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;

/** Helpers for the directories that hold unpacked layers, container upper dirs and volumes' data. */
public final class LayerDirs {
    /** Deeper than this, deletion walks by path instead of holding one open directory per level. */
    private static final int MAX_ANCHORED_DEPTH = 128;

    private LayerDirs() {
    }

    /**
     * Apparent bytes of the regular files under {@code dir}, links not followed, entries that cannot be
     * read skipped: a writable layer's SizeRw and a local volume's UsageData.Size, as dockerd counts them.
     */
    public static long regularFilesSize(Path dir) throws IOException {
        long[] total = {0};
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (attrs.isRegularFile()) {
                    total[0] += attrs.size();
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
                return FileVisitResult.CONTINUE;
            }
        });
        return total[0];
    }

    /**
     * Deletes {@code path} and everything below it without ever following a symlink: a symlink is removed,
     * never what it points to. Directories are opened relative to their already-open parent (openat), so
     * even a tree whose contents change meanwhile (a container's upper dir) cannot redirect the deletion
     * outside it. A missing path is not an error.
     */
    public static void deleteRecursively(Path path) throws IOException {
        for (int pass = 1; ; pass++) {
            try {
                deleteRecursively(path, false);
                return;
            } catch (DirectoryNotEmptyException e) {
                // Something still writing created an entry after the walk (a dying monitor's last log line):
                // walk again, as Go's os.RemoveAll does, but not forever.
                if (pass == DELETE_PASSES) {
                    throw e;
                }
            }
        }
    }

    private static final int DELETE_PASSES = 3;

    private static void deleteRecursively(Path path, boolean retried) throws IOException {
        BasicFileAttributes attrs;
        try {
            attrs = Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return;
        }
        if (!attrs.isDirectory()) {
            Files.deleteIfExists(path);
            return;
        }
        try (DirectoryStream<Path> stream = Files.newDirectoryStream(path)) {
            if (stream instanceof SecureDirectoryStream<Path> secure) {
                deleteContents(secure, path, 0);
            } else {
                walkAndDelete(path);
                return;
            }
        } catch (AccessDeniedException e) {
            if (retried) {
                throw e;
            }
            makeWritable(path);
            deleteRecursively(path, true);
            return;
        }
        Files.deleteIfExists(path);
    }

    private static void deleteContents(SecureDirectoryStream<Path> dir, Path dirPath, int depth) throws IOException {
        for (Path entry : dir) {
            Path name = entry.getFileName();
            BasicFileAttributes attrs;
            try {
                attrs = dir.getFileAttributeView(name, BasicFileAttributeView.class, LinkOption.NOFOLLOW_LINKS).readAttributes();
            } catch (NoSuchFileException e) {
                continue;
            }
            if (!attrs.isDirectory()) {
                deleteEntry(dir, name, false);
                continue;
            }
            if (depth >= MAX_ANCHORED_DEPTH) {
                walkAndDelete(dirPath.resolve(name));
                continue;
            }
            try (SecureDirectoryStream<Path> child = openChild(dir, name)) {
                deleteContents(child, dirPath.resolve(name), depth + 1);
            }
            deleteEntry(dir, name, true);
        }
    }

    /**
     * Opens a subdirectory. Without root, a layer's read-only directory (0555, say) would refuse to give
     * up its entries, so it is opened up first; root needs no such help.
     */
    private static SecureDirectoryStream<Path> openChild(SecureDirectoryStream<Path> dir, Path name) throws IOException {
        if (!Posix.isRoot()) {
            dir.getFileAttributeView(name, PosixFileAttributeView.class, LinkOption.NOFOLLOW_LINKS)
                    .setPermissions(PosixFilePermissions.fromString("rwx------"));
        }
        return dir.newDirectoryStream(name, LinkOption.NOFOLLOW_LINKS);
    }

    private static void deleteEntry(SecureDirectoryStream<Path> dir, Path name, boolean directory) throws IOException {
        try {
            if (directory) {
                dir.deleteDirectory(name);
            } else {
                dir.deleteFile(name);
            }
        } catch (NoSuchFileException e) {
            // gone already: that is the goal
        }
    }

    /** The path-based fallback; Files.walkFileTree does not follow symlinks unless asked to. */
    private static void walkAndDelete(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (!Files.isWritable(dir) || !Files.isExecutable(dir)) {
                    makeWritable(dir);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void makeWritable(Path dir) throws IOException {
        if (Files.isSymbolicLink(dir)) {
            return;
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    }
}
