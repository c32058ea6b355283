package dev.berth.desktop.build;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * The build context as the tar {@code docker build} uploads. Symlinks go in as links, never followed,
 * so nothing outside the folder is sent; the engine applies {@code .dockerignore} itself.
 */
public final class ContextTar {
    private ContextTar() {
    }

    public static void write(Path dir, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out);
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        List<Path> paths;
        try (Stream<Path> s = Files.walk(dir)) {
            paths = s.filter(p -> !p.equals(dir)).sorted().toList();
        }
        for (Path p : paths) {
            String name = dir.relativize(p).toString().replace('\\', '/');
            if (Files.isSymbolicLink(p)) {
                TarArchiveEntry e = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                e.setLinkName(Files.readSymbolicLink(p).toString());
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            } else if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                TarArchiveEntry e = new TarArchiveEntry(p.toFile(), name + "/");
                tar.putArchiveEntry(e);
                tar.closeArchiveEntry();
            } else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) {
                TarArchiveEntry e = new TarArchiveEntry(p.toFile(), name);
                tar.putArchiveEntry(e);
                Files.copy(p, tar);
                tar.closeArchiveEntry();
            }
        }
        tar.finish();
        tar.flush();
    }
}
