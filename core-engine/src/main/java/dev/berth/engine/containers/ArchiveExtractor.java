package dev.berth.engine.containers;

import dev.berth.errors.BerthException;
import dev.berth.images.layer.LayerDirs;
import dev.berth.images.layer.Posix;
import dev.berth.images.layer.TarHeader;
import dev.berth.images.layer.TarReader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Unpacks a tar into a directory of a container's root ({@code PUT /containers/{id}/archive}, i.e.
 * {@code docker cp} into a container). Entry names are taken relative to the extraction directory and
 * one that climbs out of it is refused, as moby's breakout check does. Parents are resolved in the
 * container's scope ({@link ScopedPath}), so a symlink, whether the container's or the archive's own,
 * can lead elsewhere in the container but never out of it; the last component is never followed:
 * whatever is there is replaced (or, with {@code noOverwriteDirNonDir}, a directory/non-directory
 * swap is refused, as Docker does).
 *
 * <p>Ownership is not taken from the archive: everything belongs to {@code owner}, which is root unless
 * the caller asked for copyUIDGID (then the container's user), as {@code docker cp} documents.
 */
public final class ArchiveExtractor {
    private final Path root;
    private final String baseContainerPath;
    private final boolean noOverwriteDirNonDir;
    private final int uid;
    private final int gid;
    /** Directory mtimes, set last (creating entries inside bumps them), keyed by container path. */
    private final java.util.LinkedHashMap<String, Long> dirTimes = new LinkedHashMap<>();
    private EntryObserver observer;

    /** Sees every entry's header and content as it is extracted (the build context's tarsums). */
    public interface EntryObserver {
        void entry(TarHeader h);

        void content(ByteBuffer chunk);
    }

    /**
     * @param root              the container's root on the host
     * @param baseContainerPath the extraction directory as the container sees it, already resolved
     */
    public ArchiveExtractor(Path root, String baseContainerPath, boolean noOverwriteDirNonDir, int uid, int gid) {
        this.root = root;
        this.baseContainerPath = baseContainerPath;
        this.noOverwriteDirNonDir = noOverwriteDirNonDir;
        this.uid = uid;
        this.gid = gid;
    }

    public ArchiveExtractor observe(EntryObserver o) {
        this.observer = o;
        return this;
    }

    /** @return how many entries were applied */
    public int extract(InputStream tarStream) throws IOException {
        TarReader reader = new TarReader(tarStream, 128 * 1024);
        int n = 0;
        TarHeader h;
        try (PinnedDir rootDir = PinnedDir.open(root)) {
            while ((h = reader.next()) != null) {
                if (observer != null) {
                    observer.entry(h);
                }
                apply(h, reader, rootDir);
                n++;
            }
            for (Map.Entry<String, Long> e : dirTimes.reversed().entrySet()) {
                try (PinnedDir d = rootDir.openInRoot(e.getKey())) {
                    Posix.lutimes(d.path().resolve("."), e.getValue(), 0, e.getValue(), 0);
                } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException gone) {
                    // replaced by a later entry
                }
            }
        }
        return n;
    }

    /** The entry's path relative to the extraction directory; "" for the directory itself. */
    static String relative(String name) {
        List<String> parts = new ArrayList<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                if (parts.isEmpty()) {
                    throw BerthException.invalid("invalid archive: entry \"" + printable(name)
                            + "\" would be written outside the extraction directory");
                }
                parts.removeLast();
            } else {
                parts.add(p);
            }
        }
        return String.join("/", parts);
    }

    private void apply(TarHeader h, TarReader reader, PinnedDir rootDir) throws IOException {
        if (h.name().indexOf('\0') >= 0) {
            throw BerthException.invalid("invalid archive: an entry name holds a NUL byte");
        }
        String rel = relative(h.name());
        if (rel.isEmpty()) {
            return; // the extraction directory itself, which exists
        }
        int slash = rel.lastIndexOf('/');
        String base = rel.substring(slash + 1);
        // Missing parents are made by a scoped walk; the entry itself is then written through the parent
        // pinned by the kernel's own in-root resolution, so a swap made meanwhile cannot redirect it.
        // Resolving the entry itself (last component not followed) creates every missing parent, as
        // Docker's untar does (root-owned, 0755); each is made inside the root by the scoped walk.
        Path parentOnHost = ScopedPath.resolve(root, baseContainerPath + "/" + rel, false, true).getParent();
        String parentPath = ScopedPath.containerPathOf(root, parentOnHost);
        PinnedDir parentDir;
        try {
            parentDir = rootDir.openInRoot(parentPath);
        } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
            throw BerthException.invalid("cannot extract \"" + printable(h.name()) + "\": its parent is not a directory");
        }
        try (parentDir) {
            write(h, reader, rootDir, parentDir.path().resolve(base), parentPath.equals("/") ? "/" + base : parentPath + "/" + base);
        }
    }

    private void write(TarHeader h, TarReader reader, PinnedDir rootDir, Path path, String containerPath) throws IOException {
        BasicFileAttributes existing = ScopedPath.lstat(path);
        boolean isDir = h.type() == TarHeader.Type.DIRECTORY;
        if (existing != null) {
            if (noOverwriteDirNonDir && existing.isDirectory() && !isDir) {
                throw BerthException.invalid("cannot overwrite directory \"" + containerPath
                        + "\" with non-directory \"" + printable(h.name()) + "\"");
            }
            if (noOverwriteDirNonDir && !existing.isDirectory() && isDir) {
                throw BerthException.invalid("cannot overwrite non-directory \"" + containerPath
                        + "\" with directory \"" + printable(h.name()) + "\"");
            }
            if (!(existing.isDirectory() && isDir)) {
                if (existing.isDirectory()) {
                    LayerDirs.deleteRecursively(path);
                } else {
                    Files.delete(path);
                }
            }
        }
        switch (h.type()) {
            case DIRECTORY -> {
                if (existing == null || !existing.isDirectory()) {
                    Files.createDirectory(path);
                }
            }
            case REGULAR -> {
                try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                        LinkOption.NOFOLLOW_LINKS)) {
                    ByteBuffer chunk;
                    while ((chunk = reader.contentChunk()) != null) {
                        if (observer != null) {
                            observer.content(chunk);
                        }
                        while (chunk.hasRemaining()) {
                            out.write(chunk);
                        }
                    }
                }
            }
            case SYMLINK -> Posix.symlink(h.linkNameBytes(), path);
            case HARDLINK -> {
                String target = baseContainerPath + "/" + relative(h.linkName());
                int cut = target.lastIndexOf('/');
                BasicFileAttributes ta = null;
                PinnedDir targetDir = null;
                try {
                    targetDir = rootDir.openInRoot(target.substring(0, cut));
                    ta = ScopedPath.lstat(targetDir.path().resolve(target.substring(cut + 1)));
                } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException e) {
                    // reported below
                }
                try {
                    if (ta == null || ta.isDirectory() || target.substring(cut + 1).isEmpty()) {
                        throw BerthException.invalid("invalid archive: hard link \"" + printable(h.name())
                                + "\" points to \"" + printable(h.linkName()) + "\", which is not a file already extracted");
                    }
                    Files.createLink(path, targetDir.path().resolve(target.substring(cut + 1)));
                } finally {
                    if (targetDir != null) {
                        targetDir.close();
                    }
                }
                return;
            }
            case CHAR_DEVICE -> Posix.mknod(path, Posix.S_IFCHR | h.permissions(), Posix.makedev(h.devMajor(), h.devMinor()));
            case BLOCK_DEVICE -> Posix.mknod(path, Posix.S_IFBLK | h.permissions(), Posix.makedev(h.devMajor(), h.devMinor()));
            case FIFO -> Posix.mknod(path, Posix.S_IFIFO | h.permissions(), 0);
        }
        // A negative owner keeps the archive's (ADD of a local tar, as moby's UntarPath does).
        Posix.lchown(path, uid < 0 ? (int) h.uid() : uid, gid < 0 ? (int) h.gid() : gid);
        // chmod follows symlinks: only if what is there is still what we made (a narrow window remains
        // against a running container; fchmodat2's AT_SYMLINK_NOFOLLOW would close it).
        BasicFileAttributes made = ScopedPath.lstat(path);
        if (h.type() != TarHeader.Type.SYMLINK && made != null && !made.isSymbolicLink()) {
            Posix.chmod(path, h.permissions());
        }
        if (h.type() == TarHeader.Type.DIRECTORY) {
            dirTimes.put(containerPath, h.mtimeSeconds());
        } else {
            Posix.lutimes(path, h.mtimeSeconds(), h.mtimeNanos(), h.mtimeSeconds(), h.mtimeNanos());
        }
    }

    static String printable(String name) {
        StringBuilder sb = new StringBuilder();
        for (char c : name.toCharArray()) {
            sb.append(c < 0x20 || c == 0x7f ? String.format("\\x%02x", (int) c) : String.valueOf(c));
        }
        return sb.toString();
    }
}
