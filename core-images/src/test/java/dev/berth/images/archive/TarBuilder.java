package dev.berth.images.archive;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Builds tar archives in memory for tests, including entries a well-behaved writer never makes. */
final class TarBuilder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    TarBuilder() {
        tar = new TarArchiveOutputStream(bytes);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    }

    TarBuilder file(String name, byte[] content) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name, true); // preserve "../" and leading "/"
            e.setSize(content.length);
            e.setMode(0100644);
            e.setModTime(0);
            tar.putArchiveEntry(e);
            tar.write(content);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    TarBuilder file(String name, String content) {
        return file(name, content.getBytes(StandardCharsets.UTF_8));
    }

    TarBuilder dir(String name) {
        return link(name.endsWith("/") ? name : name + "/", null, TarConstants.LF_DIR);
    }

    TarBuilder symlink(String name, String target) {
        return link(name, target, TarConstants.LF_SYMLINK);
    }

    TarBuilder hardlink(String name, String target) {
        return link(name, target, TarConstants.LF_LINK);
    }

    private TarBuilder link(String name, String target, byte type) {
        try {
            TarArchiveEntry e = new TarArchiveEntry(name, type, true);
            if (target != null) {
                e.setLinkName(target);
            }
            e.setModTime(0);
            tar.putArchiveEntry(e);
            tar.closeArchiveEntry();
            return this;
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    byte[] build() {
        try {
            tar.finish();
            tar.close();
            return bytes.toByteArray();
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** A small, real layer: an uncompressed tar holding one file. */
    static byte[] layer(String fileName, String content) {
        return new TarBuilder().dir("etc").file("etc/" + fileName, content).build();
    }
}
