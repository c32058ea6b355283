package dev.berth.engine.volumes;

import dev.berth.images.layer.Posix;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;

/**
 * Copies a directory of a container's root filesystem into an empty volume, as Docker's
 * copyExistingContents (containerd fs.CopyDir): owners, modes (set-id bits included), xattrs, times,
 * symlinks as links, device nodes and fifos as nodes, and the top directory's own owner and mode
 * onto the volume's {@code _data}. Nothing is followed through a symlink.
 */
final class ImageContentCopy {
    private ImageContentCopy() {
    }

    /** @return false when the volume was not empty (then nothing is copied, as in Docker) */
    static boolean copyIfEmpty(Path source, Path volumeData) throws IOException {
        if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
            return false;
        }
        try (var s = Files.list(volumeData)) {
            if (s.findAny().isPresent()) {
                return false;
            }
        }
        Deque<Path[]> dirTimes = new ArrayDeque<>();
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                Path target = volumeData.resolve(source.relativize(dir).toString());
                if (!dir.equals(source)) {
                    Files.createDirectory(target);
                }
                dirTimes.push(new Path[] {dir, target});
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Path target = volumeData.resolve(source.relativize(file).toString());
                Map<String, Object> a = Files.readAttributes(file, "unix:mode,uid,gid,rdev", LinkOption.NOFOLLOW_LINKS);
                int mode = (Integer) a.get("mode");
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(target, Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, target, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                } else if (attrs.isOther()) {
                    Posix.mknod(target, mode, (Long) a.get("rdev"));
                } else {
                    return FileVisitResult.CONTINUE;
                }
                owner(file, target, a, mode, attrs);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException exc) throws IOException {
                if (exc != null) {
                    throw exc;
                }
                Path[] pair = dirTimes.pop();
                Map<String, Object> a = Files.readAttributes(pair[0], "unix:mode,uid,gid", LinkOption.NOFOLLOW_LINKS);
                owner(pair[0], pair[1], a, (Integer) a.get("mode"),
                        Files.readAttributes(pair[0], BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS));
                return FileVisitResult.CONTINUE;
            }
        });
        return true;
    }

    /** Owner, then mode and xattrs: chown clears set-id bits and file capabilities. */
    private static void owner(Path source, Path target, Map<String, Object> a, int mode, BasicFileAttributes attrs) throws IOException {
        Posix.lchown(target, (Integer) a.get("uid"), (Integer) a.get("gid"));
        if (!attrs.isSymbolicLink()) {
            Posix.chmod(target, mode & 07777);
            xattrs(source, target);
        }
        // Never through Files.setLastModifiedTime: it opens the file, and opening a fifo blocks.
        FileTime a0 = attrs.lastAccessTime();
        FileTime m = attrs.lastModifiedTime();
        Posix.lutimes(target, a0.toInstant().getEpochSecond(), a0.toInstant().getNano(),
                m.toInstant().getEpochSecond(), m.toInstant().getNano());
    }

    /** Best effort, as Docker's ignoreUnsupportedXAttrs: a volume filesystem may not take them. */
    private static void xattrs(Path source, Path target) {
        try {
            for (String name : Posix.llistxattr(source)) {
                if (name.startsWith("trusted.overlay.")) {
                    continue;
                }
                byte[] value = Posix.lgetxattr(source, name);
                if (value != null) {
                    Posix.lsetxattr(target, name, value);
                }
            }
        } catch (Posix.PosixException e) {
            // Unsupported or not permitted on this filesystem: the copy stays without them.
        }
    }
}
