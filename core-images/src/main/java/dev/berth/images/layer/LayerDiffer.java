package dev.berth.images.layer;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

/**
 * Turns an overlayfs upper directory back into an OCI layer tar: the builder's "commit".
 *
 * <p>Overlay's deletion records become OCI whiteouts: a 0/0 character device {@code x} is written as an
 * empty file {@code .wh.x}, and a directory with {@code trusted.overlay.opaque=y} gets a
 * {@code .wh..wh..opq} entry right after its own, before its children. Every other
 * {@code trusted.overlay.*} attribute is overlay bookkeeping and is left out. Files sharing an inode
 * become one file and hard links to it. Names are sorted (by UTF-16 code unit, within each directory,
 * parents before children) and mtimes are whole seconds, as Docker writes them, so the same tree gives
 * the same bytes.
 *
 * <p>The upper dir must not change while it is read, and must come from an overlay mounted without
 * {@code redirect_dir} and {@code metacopy}, which would keep content in lower layers.
 */
public final class LayerDiffer {
    private static final String UNIX_ATTRIBUTES = "unix:mode,uid,gid,ino,dev,nlink,rdev,size,lastModifiedTime";

    /** Writes the diff of {@code upperDir} to {@code tarOut} and flushes it; the stream is not closed. */
    public void writeDiff(Path upperDir, OutputStream tarOut) throws IOException {
        writeDiff(upperDir, tarOut, java.util.Set.of());
    }

    /**
     * As {@link #writeDiff(Path, OutputStream)}, leaving out the entries (and everything under them)
     * whose paths, relative to {@code upperDir} and without a leading slash, are in {@code skip}.
     */
    public void writeDiff(Path upperDir, OutputStream tarOut, java.util.Set<String> skip) throws IOException {
        Objects.requireNonNull(upperDir, "upperDir");
        BufferedOutputStream buffered = new BufferedOutputStream(tarOut, 256 * 1024);
        TarWriter tar = new TarWriter(buffered);
        Walk walk = new Walk(tar, skip);
        if (isOpaque(upperDir)) {
            Map<String, Object> a = Files.readAttributes(upperDir, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            walk.opaqueMarker("", a);
        }
        walk.children(upperDir, "");
        tar.finish();
        buffered.flush();
    }

    private static boolean isOpaque(Path dir) throws IOException {
        byte[] v = Posix.lgetxattr(dir, LayerWriter.OPAQUE_XATTR);
        return v != null && v.length == 1 && v[0] == 'y';
    }

    private static final class Walk {
        private final TarWriter tar;
        /** First name archived for each multiply-linked inode, keyed by "dev:ino". */
        private final Map<String, String> linkedInodes = new HashMap<>();

        private final java.util.Set<String> skip;

        Walk(TarWriter tar, java.util.Set<String> skip) {
            this.tar = tar;
            this.skip = skip;
        }

        void children(Path dir, String rel) throws IOException {
            List<Path> entries = new ArrayList<>();
            try (DirectoryStream<Path> stream = Files.newDirectoryStream(dir)) {
                stream.forEach(entries::add);
            }
            String[] names = new String[entries.size()];
            for (int i = 0; i < names.length; i++) {
                names[i] = entries.get(i).getFileName().toString();
            }
            Arrays.sort(names);
            for (String name : names) {
                entry(dir.resolve(name), rel.isEmpty() ? name : rel + "/" + name, name);
            }
        }

        private void entry(Path path, String rel, String name) throws IOException {
            if (skip.contains(rel)) {
                return;
            }
            Map<String, Object> a = Files.readAttributes(path, UNIX_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
            int mode = (Integer) a.get("mode");
            int type = mode & Posix.S_IFMT;
            long rdev = (Long) a.get("rdev");
            if (type == Posix.S_IFCHR && rdev == 0) {
                String parent = rel.substring(0, rel.length() - name.length());
                tar.write(parent + LayerWriter.WHITEOUT_PREFIX + name, (byte) '0', mode & 07777, uid(a), gid(a), 0,
                        mtime(a), null, 0, 0, Map.of(), InputStream.nullInputStream());
                return;
            }
            Map<String, byte[]> xattrs = type == Posix.S_IFLNK ? Map.of() : xattrs(path);
            switch (type) {
                case Posix.S_IFDIR -> {
                    tar.write(rel + "/", (byte) '5', mode, uid(a), gid(a), 0, mtime(a), null, 0, 0, xattrs, null);
                    if (isOpaque(path)) {
                        opaqueMarker(rel + "/", a);
                    }
                    children(path, rel);
                }
                case Posix.S_IFREG -> {
                    if ((Integer) a.get("nlink") > 1) {
                        String key = a.get("dev") + ":" + a.get("ino");
                        String first = linkedInodes.putIfAbsent(key, rel);
                        if (first != null) {
                            tar.write(rel, (byte) '1', mode, uid(a), gid(a), 0, mtime(a), first, 0, 0, xattrs, null);
                            return;
                        }
                    }
                    long size = (Long) a.get("size");
                    try (InputStream content = Files.newInputStream(path, LinkOption.NOFOLLOW_LINKS)) {
                        tar.write(rel, (byte) '0', mode, uid(a), gid(a), size, mtime(a), null, 0, 0, xattrs, content);
                    }
                }
                case Posix.S_IFLNK -> tar.write(rel, (byte) '2', mode, uid(a), gid(a), 0, mtime(a),
                        Files.readSymbolicLink(path).toString(), 0, 0, xattrs, null);
                case Posix.S_IFCHR, Posix.S_IFBLK -> tar.write(rel, (byte) (type == Posix.S_IFCHR ? '3' : '4'), mode, uid(a),
                        gid(a), 0, mtime(a), null, Posix.major(rdev), Posix.minor(rdev), xattrs, null);
                case Posix.S_IFIFO -> tar.write(rel, (byte) '6', mode, uid(a), gid(a), 0, mtime(a), null, 0, 0, xattrs, null);
                default -> {
                    // Sockets cannot be archived; Docker leaves them out too.
                }
            }
        }

        void opaqueMarker(String dirRel, Map<String, Object> dirAttrs) throws IOException {
            tar.write(dirRel + LayerWriter.OPAQUE_MARKER, (byte) '0', (Integer) dirAttrs.get("mode") & 0777, uid(dirAttrs),
                    gid(dirAttrs), 0, mtime(dirAttrs), null, 0, 0, Map.of(), InputStream.nullInputStream());
        }

        private static Map<String, byte[]> xattrs(Path path) throws IOException {
            List<String> names = Posix.llistxattr(path);
            if (names.isEmpty()) {
                return Map.of();
            }
            Map<String, byte[]> result = new LinkedHashMap<>();
            for (String name : names.stream().sorted().toList()) {
                if (name.startsWith("trusted.overlay.")) {
                    continue;
                }
                byte[] value = Posix.lgetxattr(path, name);
                if (value != null) {
                    result.put(name, value);
                }
            }
            return result;
        }

        private static long uid(Map<String, Object> a) {
            return Integer.toUnsignedLong((Integer) a.get("uid"));
        }

        private static long gid(Map<String, Object> a) {
            return Integer.toUnsignedLong((Integer) a.get("gid"));
        }

        private static long mtime(Map<String, Object> a) {
            return ((FileTime) a.get("lastModifiedTime")).to(TimeUnit.SECONDS);
        }
    }
}
