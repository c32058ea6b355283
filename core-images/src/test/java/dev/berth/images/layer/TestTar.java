package dev.berth.images.layer;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.function.Consumer;

/** Builds layer tars in memory with commons-compress, an independent writer to check our reader against. */
final class TestTar {
    static final long MTIME = 1_600_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TestTar() {
        this(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    TestTar(int longFileMode) {
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(longFileMode);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    TestTar file(String name, String content) {
        return file(name, content, 0644, 0, 0, e -> { });
    }

    TestTar file(String name, String content, int mode, long uid, long gid) {
        return file(name, content, mode, uid, gid, e -> { });
    }

    TestTar file(String name, String content, int mode, long uid, long gid, Consumer<TarArchiveEntry> tweak) {
        byte[] data = content.getBytes(StandardCharsets.UTF_8);
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL);
        e.setMode(mode);
        e.setSize(data.length);
        e.setUserId(uid);
        e.setGroupId(gid);
        tweak.accept(e);
        return put(e, data);
    }

    TestTar dir(String name) {
        return dir(name, 0755, 0, 0);
    }

    TestTar dir(String name, int mode, long uid, long gid) {
        TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        e.setMode(mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        return put(e, null);
    }

    TestTar dirWithXattrs(String name, Map<String, String> xattrs) {
        TarArchiveEntry e = entry(name.endsWith("/") ? name : name + "/", TarConstants.LF_DIR);
        e.setMode(0755);
        xattrs.forEach((k, v) -> e.addPaxHeader("SCHILY.xattr." + k, v));
        return put(e, null);
    }

    TestTar symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK);
        e.setLinkName(target);
        e.setMode(0777);
        return put(e, null);
    }

    TestTar hardlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK);
        e.setLinkName(target);
        e.setMode(0644);
        return put(e, null);
    }

    TestTar device(String name, byte type, int major, int minor, int mode) {
        TarArchiveEntry e = entry(name, type);
        e.setDevMajor(major);
        e.setDevMinor(minor);
        e.setMode(mode);
        return put(e, null);
    }

    TestTar fifo(String name, int mode) {
        TarArchiveEntry e = entry(name, TarConstants.LF_FIFO);
        e.setMode(mode);
        return put(e, null);
    }

    /** Raw access for unusual entries. */
    TestTar entry(TarArchiveEntry e, byte[] data) {
        return put(e, data);
    }

    static TarArchiveEntry entry(String name, byte type) {
        // preserveAbsolutePath: commons-compress would otherwise strip the leading slash we want to test.
        TarArchiveEntry e = new TarArchiveEntry(name, type, true);
        e.setModTime(MTIME * 1000);
        return e;
    }

    private TestTar put(TarArchiveEntry e, byte[] data) {
        try {
            tar.putArchiveEntry(e);
            if (data != null) {
                tar.write(data);
            }
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] bytes() {
        try {
            tar.finish();
            tar.close();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
        return bytes.toByteArray();
    }
}
