package dev.berth.engine.build;

import dev.berth.engine.containers.ArchiveExtractor;
import dev.berth.images.layer.TarHeader;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

/**
 * moby's tarsum v1 per-file sums (pkg/tarsum, builder/remotecontext), which name COPY and ADD sources in
 * the classic builder's history ({@code COPY file:<sum> in /x}): SHA-256 over the selected tar header
 * fields, written as name then value with no separator (mtime left out, uname and gname always empty),
 * then the file's content. The context's sums come from the headers of the tar the client sent, as
 * moby's {@code FromArchive} reads them; a stage's or image's files are hashed from disk as moby's lazy
 * source does, through {@code archive.FileInfoHeader}, which in the dockerd the comparison tests use
 * (20.10) still ORs the file-type bits into the mode.
 */
final class TarSum {
    private TarSum() {
    }

    /** c_ISREG … : Go 1.8's type bits, restored by moby 20.10's fillGo18FileTypeBits. */
    private static final int IS_DIR = 040000;
    private static final int IS_REG = 0100000;
    private static final int IS_LNK = 0120000;
    private static final int IS_FIFO = 010000;
    private static final int IS_CHR = 020000;
    private static final int IS_BLK = 060000;
    private static final int IS_SOCK = 0140000;

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The v1 header selection: every v0 field but mtime, then the xattrs sorted by key. A tar's sums leave
     * uname and gname empty (tarSum.encodeHeader); a file hashed from disk keeps them (WriteV1Header).
     */
    static void writeV1Header(MessageDigest md, String name, long mode, long uid, long gid, long size, char typeflag,
                              String linkname, String uname, String gname, long devmajor, long devminor,
                              Map<String, byte[]> xattrs) {
        put(md, "name", name);
        put(md, "mode", Long.toString(mode));
        put(md, "uid", Long.toString(uid));
        put(md, "gid", Long.toString(gid));
        put(md, "size", Long.toString(size));
        put(md, "typeflag", String.valueOf(typeflag));
        put(md, "linkname", linkname);
        put(md, "uname", uname);
        put(md, "gname", gname);
        put(md, "devmajor", Long.toString(devmajor));
        put(md, "devminor", Long.toString(devminor));
        for (Map.Entry<String, byte[]> x : new TreeMap<>(xattrs).entrySet()) {
            md.update(x.getKey().getBytes(StandardCharsets.UTF_8));
            md.update(x.getValue());
        }
    }

    private static void put(MessageDigest md, String key, String value) {
        md.update((key + value).getBytes(StandardCharsets.UTF_8));
    }

    /** The typeflag byte as Go's reader reports it; the extractor folds '7' and NUL into regular files. */
    static char typeflag(TarHeader.Type t) {
        return switch (t) {
            case REGULAR -> '0';
            case HARDLINK -> '1';
            case SYMLINK -> '2';
            case CHAR_DEVICE -> '3';
            case BLOCK_DEVICE -> '4';
            case DIRECTORY -> '5';
            case FIFO -> '6';
        };
    }

    /** moby's tarSum.currentFile: {@code path.Join(".", path.Join("/", name))}. */
    static String entryName(String name) {
        java.util.ArrayDeque<String> parts = new java.util.ArrayDeque<>();
        for (String p : name.split("/")) {
            if (p.isEmpty() || p.equals(".")) {
                continue;
            }
            if (p.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(p);
            }
        }
        return parts.isEmpty() ? "." : String.join("/", parts);
    }

    /** The sums of a context tar, collected while it is extracted; the first entry of a name wins (GetFile). */
    static final class Collector implements ArchiveExtractor.EntryObserver {
        private final Map<String, String> sums = new HashMap<>();
        /**
         * Told every entry's sum in tar order, duplicates too (moby's whole-tar Sum is over these): only
         * TarSumTest's vectors need them, so a build keeps none.
         */
        private final java.util.function.Consumer<String> each;
        private MessageDigest current;
        private String currentName;

        Collector() {
            this(sum -> { });
        }

        Collector(java.util.function.Consumer<String> each) {
            this.each = each;
        }

        @Override
        public void entry(TarHeader h) {
            finish();
            currentName = entryName(h.name());
            current = sha256();
            writeV1Header(current, h.name(), h.mode(), h.uid(), h.gid(), h.size(), typeflag(h.type()), h.linkName(),
                    "", "", h.devMajor(), h.devMinor(), h.xattrs());
        }

        @Override
        public void content(ByteBuffer chunk) {
            if (current != null) {
                current.update(chunk.duplicate());
            }
        }

        Map<String, String> finish() {
            if (current != null) {
                String sum = HexFormat.of().formatHex(current.digest());
                each.accept(sum);
                sums.putIfAbsent(currentName, sum);
                current = null;
            }
            return sums;
        }
    }

    /** moby's lazySource.prepareHash: a header made from the file's stat, then its content. */
    static String ofFile(Path file, String relPath) throws IOException {
        var a = Files.readAttributes(file, "unix:mode,uid,gid,size,rdev,isDirectory,isRegularFile,isSymbolicLink",
                LinkOption.NOFOLLOW_LINKS);
        int raw = (Integer) a.get("mode");
        int fmt = raw & 0170000;
        long mode = raw & 07777;
        char type;
        String link = "";
        long size = 0;
        long major = 0;
        long minor = 0;
        String name = relPath;
        switch (fmt) {
            case IS_DIR -> {
                type = '5';
                name = relPath.endsWith("/") ? relPath : relPath + "/";
            }
            case IS_LNK -> {
                type = '2';
                link = Files.readSymbolicLink(file).toString();
            }
            case IS_CHR, IS_BLK -> {
                type = fmt == IS_CHR ? '3' : '4';
                long rdev = ((Number) a.get("rdev")).longValue();
                // glibc's major()/minor()
                major = ((rdev >>> 8) & 0xfff) | ((rdev >>> 32) & ~0xfffL);
                minor = (rdev & 0xff) | ((rdev >>> 12) & ~0xffL);
            }
            case IS_FIFO -> type = '6';
            case IS_SOCK -> throw new IOException("archive/tar: sockets not supported: " + relPath);
            default -> {
                type = '0';
                size = ((Number) a.get("size")).longValue();
            }
        }
        mode |= fmt == IS_SOCK ? 0 : fmt;
        MessageDigest md = sha256();
        long uid = ((Number) a.get("uid")).longValue();
        long gid = ((Number) a.get("gid")).longValue();
        writeV1Header(md, name, mode, uid, gid, size, type, link, HostNames.user(uid), HostNames.group(gid), major, minor, Map.of());
        if (type == '0' && size > 0) {
            try (InputStream in = Files.newInputStream(file, LinkOption.NOFOLLOW_LINKS)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = in.read(buf)) > 0) {
                    md.update(buf, 0, n);
                }
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /**
     * Go's archive/tar.FileInfoHeader names the owner through os/user, that is from the daemon host's
     * passwd and group files (not the image's); an id they lack gives an empty name.
     */
    static final class HostNames {
        private static volatile Map<Long, String> users;
        private static volatile Map<Long, String> groups;

        private HostNames() {
        }

        static String user(long uid) {
            if (users == null) {
                users = read(Path.of("/etc/passwd"));
            }
            return users.getOrDefault(uid, "");
        }

        static String group(long gid) {
            if (groups == null) {
                groups = read(Path.of("/etc/group"));
            }
            return groups.getOrDefault(gid, "");
        }

        private static Map<Long, String> read(Path file) {
            Map<Long, String> m = new HashMap<>();
            try {
                for (String line : Files.readAllLines(file)) {
                    String[] f = line.split(":", -1);
                    if (f.length > 2 && !line.startsWith("#")) {
                        try {
                            m.putIfAbsent(Long.parseLong(f[2]), f[0]);
                        } catch (NumberFormatException ignored) {
                            // not an entry
                        }
                    }
                }
            } catch (IOException e) {
                // no names: Go's lookup fails the same way
            }
            return m;
        }
    }

    /** moby's hashStringSlice: {@code prefix:sha256(strings.Join(slice, ","))}. */
    static String hashStringSlice(String prefix, java.util.List<String> slice) {
        MessageDigest md = sha256();
        md.update(String.join(",", slice).getBytes(StandardCharsets.UTF_8));
        return prefix + ":" + HexFormat.of().formatHex(md.digest());
    }
}
