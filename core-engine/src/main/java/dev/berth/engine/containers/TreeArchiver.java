package dev.berth.engine.containers;

import dev.berth.images.layer.Posix;
import dev.berth.images.layer.TarWriter;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

/**
 * Writes a file tree as a tar without following any symlink: {@code docker cp} out of a container
 * and {@code docker export}. Entry names start with a given prefix (Docker's rebase: the requested
 * path's base name), files sharing an inode become hard links, sockets are left out as Docker does.
 */
public final class TreeArchiver {
    private static final String ATTRS = "unix:mode,uid,gid,ino,dev,nlink,rdev,size,lastModifiedTime";

    private final TarWriter tar;
    private final BufferedOutputStream buffered;
    private final Map<String, String> linked = new HashMap<>();

    public TreeArchiver(OutputStream out) {
        this.buffered = new BufferedOutputStream(out, 256 * 1024);
        this.tar = new TarWriter(buffered);
    }

    /**
     * Archives the entry {@code base} of {@code parent} (a directory with everything under it, or one
     * entry) as {@code name}. Directories are descended through held file descriptors opened without
     * following links, so a running container swapping one for a symlink cannot lead the walk out.
     */
    public void add(PinnedDir parent, String base, String name) throws IOException {
        Path path = parent.path().resolve(base);
        Map<String, Object> a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS);
        entry(parent, base, path, name, a);
    }

    /** Archives a directory's children alone, names relative to it: export of the root. */
    public void addChildren(PinnedDir dir) throws IOException {
        children(dir, "");
    }

    public void finish() throws IOException {
        tar.finish();
        buffered.flush();
    }

    private void children(PinnedDir pinned, String prefix) throws IOException {
        Path dir = pinned.path().resolve(".");
        TreeSet<String> names = new TreeSet<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir)) {
            s.forEach(p -> names.add(p.getFileName().toString()));
        }
        for (String n : names) {
            Path p = dir.resolve(n);
            Map<String, Object> a;
            try {
                a = Files.readAttributes(p, ATTRS, LinkOption.NOFOLLOW_LINKS);
            } catch (java.nio.file.NoSuchFileException gone) {
                continue; // a running container removed it meanwhile
            }
            entry(pinned, n, p, prefix + n, a);
        }
    }

    private void entry(PinnedDir parent, String base, Path path, String name, Map<String, Object> a) throws IOException {
        int mode = (Integer) a.get("mode");
        long uid = Integer.toUnsignedLong((Integer) a.get("uid"));
        long gid = Integer.toUnsignedLong((Integer) a.get("gid"));
        long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS);
        long rdev = (Long) a.get("rdev");
        switch (mode & Posix.S_IFMT) {
            case Posix.S_IFDIR -> {
                String dirName = name.endsWith("/") ? name : name + "/";
                tar.write(dirName, (byte) '5', mode, uid, gid, 0, mtime, null, 0, 0, Map.of(), null);
                PinnedDir child;
                try {
                    child = parent.openChild(base);
                } catch (java.nio.file.NoSuchFileException | java.nio.file.NotDirectoryException swapped) {
                    return; // removed or replaced since it was listed
                }
                try (child) {
                    children(child, dirName);
                }
            }
            case Posix.S_IFREG -> {
                if ((Integer) a.get("nlink") > 1) {
                    String first = linked.putIfAbsent(a.get("dev") + ":" + a.get("ino"), name);
                    if (first != null) {
                        tar.write(name, (byte) '1', mode, uid, gid, 0, mtime, first, 0, 0, Map.of(), null);
                        return;
                    }
                }
                try (InputStream in = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                    tar.write(name, (byte) '0', mode, uid, gid, (Long) a.get("size"), mtime, null, 0, 0, Map.of(), in);
                }
            }
            case Posix.S_IFLNK -> tar.write(name, (byte) '2', mode, uid, gid, 0, mtime,
                    Files.readSymbolicLink(path).toString(), 0, 0, Map.of(), null);
            case Posix.S_IFCHR, Posix.S_IFBLK -> tar.write(name, (byte) ((mode & Posix.S_IFMT) == Posix.S_IFCHR ? '3' : '4'),
                    mode, uid, gid, 0, mtime, null, Posix.major(rdev), Posix.minor(rdev), Map.of(), null);
            case Posix.S_IFIFO -> tar.write(name, (byte) '6', mode, uid, gid, 0, mtime, null, 0, 0, Map.of(), null);
            default -> {
                // sockets cannot be archived
            }
        }
    }
}
