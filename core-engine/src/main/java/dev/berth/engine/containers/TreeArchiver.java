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
     * Archives {@code path} (a directory with everything under it, or one entry) as {@code name}; an
     * empty name archives a directory's children alone, as export does for the root.
     */
    public void add(Path path, String name) throws IOException {
        Map<String, Object> a = Files.readAttributes(path, ATTRS, LinkOption.NOFOLLOW_LINKS);
        if (name.isEmpty()) {
            children(path, "");
            return;
        }
        entry(path, name, a);
    }

    public void finish() throws IOException {
        tar.finish();
        buffered.flush();
    }

    private void children(Path dir, String prefix) throws IOException {
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
            entry(p, prefix + n, a);
        }
    }

    private void entry(Path path, String name, Map<String, Object> a) throws IOException {
        int mode = (Integer) a.get("mode");
        long uid = Integer.toUnsignedLong((Integer) a.get("uid"));
        long gid = Integer.toUnsignedLong((Integer) a.get("gid"));
        long mtime = ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS);
        long rdev = (Long) a.get("rdev");
        switch (mode & Posix.S_IFMT) {
            case Posix.S_IFDIR -> {
                String dirName = name.endsWith("/") ? name : name + "/";
                tar.write(dirName, (byte) '5', mode, uid, gid, 0, mtime, null, 0, 0, Map.of(), null);
                children(path, dirName);
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
