package dev.berth.cli.commands;

import dev.berth.cli.Opt;
import dev.berth.cli.UsageError;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.model.PathStat;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * {@code berth cp}: files between a container and the host through the archive endpoints. As in
 * docker, copying onto an existing directory puts the source inside it, onto a new path renames it,
 * {@code SRC/.} copies a directory's content, and {@code -} streams a tar through stdin/stdout.
 * Extraction never writes outside the destination: entries that climb out or pass through a
 * symbolic link are refused.
 */
public final class CpCommand extends BerthCommand {
    boolean archive;
    boolean followLink;
    boolean quiet;

    @Override
    public List<Opt> options() {
        return List.of(
                Opt.bool('a', "archive", "Archive mode (copy all uid/gid information)"),
                Opt.bool('L', "follow-link", "Always follow symbol link in SRC_PATH"),
                Opt.bool('q', "quiet", "Suppress progress output during copy. Progress output is automatically suppressed if no terminal is attached"));
    }

    @Override
    public void flag(String n, String value) {
        boolean on = Boolean.parseBoolean(value);
        switch (n) {
            case "archive" -> archive = on;
            case "follow-link" -> followLink = on;
            case "quiet" -> quiet = on;
            default -> throw new IllegalArgumentException(n);
        }
    }

    /** docker's {@code splitCpArg}: {@code CONTAINER:PATH}, unless the argument is plainly a local path. */
    static String[] split(String arg) {
        if (arg.startsWith("/") || arg.startsWith(".")) {
            return new String[] {"", arg};
        }
        int colon = arg.indexOf(':');
        if (colon <= 0) {
            return new String[] {"", arg};
        }
        return new String[] {arg.substring(0, colon), arg.substring(colon + 1)};
    }

    @Override
    public int run() throws Exception {
        exactArgs(2, args);
        String[] src = split(args.get(0));
        String[] dst = split(args.get(1));
        if (src[0].isEmpty() == dst[0].isEmpty()) {
            throw new UsageError(src[0].isEmpty() ? "must specify at least one container source"
                    : "copying between containers is not supported", 1);
        }
        if (!src[0].isEmpty()) {
            fromContainer(src[0], src[1], dst[1]);
        } else {
            toContainer(src[1], dst[0], dst[1]);
        }
        return 0;
    }

    private void fromContainer(String container, String srcPath, String dst) throws IOException {
        ContainerClient containers = cli.client().containers();
        try (ContainerClient.Archive a = containers.archive(container, srcPath)) {
            if (dst.equals("-")) {
                OutputStream out = cli.io().rawOut();
                a.tar().transferTo(out);
                out.flush();
                return;
            }
            Path target = Path.of(dst).toAbsolutePath().normalize();
            String root = a.stat() != null ? a.stat().name() : Path.of(srcPath).getFileName().toString();
            boolean contentOnly = srcPath.endsWith("/.") && a.stat() != null && a.stat().isDirectory();
            Path base;
            String strip;
            if (Files.isDirectory(target)) {
                base = target;
                strip = contentOnly ? root : null;
            } else {
                if (dst.endsWith("/")) {
                    throw new UsageError("Error: destination directory " + dst + " must exist", 1);
                }
                if (!Files.isDirectory(target.getParent())) {
                    throw new UsageError("Error: no such directory: " + target.getParent(), 1);
                }
                base = target.getParent();
                strip = root;
            }
            extract(a.tar(), base, strip, strip == null || contentOnly ? null : target.getFileName().toString());
        }
    }

    /**
     * Unpacks under {@code base}; a leading {@code strip} component is replaced by {@code rename}
     * (or dropped when {@code rename} is null).
     */
    static void extract(InputStream tar, Path base, String strip, String rename) throws IOException {
        Path realBase = base.toRealPath();
        TarArchiveInputStream in = new TarArchiveInputStream(tar);
        for (TarArchiveEntry e; (e = in.getNextEntry()) != null; ) {
            String name = e.getName();
            while (name.startsWith("./")) {
                name = name.substring(2);
            }
            if (strip != null) {
                if (name.equals(strip) || name.equals(strip + "/")) {
                    name = rename == null ? "" : rename;
                } else if (name.startsWith(strip + "/")) {
                    name = (rename == null ? "" : rename + "/") + name.substring(strip.length() + 1);
                }
            }
            if (name.isEmpty()) {
                continue;
            }
            Path out = realBase.resolve(name).normalize();
            if (!out.startsWith(realBase)) {
                throw new BerthException(ErrorCategory.INVALID_ARGUMENT, "refusing to extract " + e.getName() + " outside " + base);
            }
            Path parent = out.getParent();
            Files.createDirectories(parent);
            if (!parent.toRealPath().startsWith(realBase)) {
                throw new BerthException(ErrorCategory.INVALID_ARGUMENT, "refusing to extract " + e.getName()
                        + " through a symbolic link");
            }
            if (e.isDirectory()) {
                if (!Files.isDirectory(out, LinkOption.NOFOLLOW_LINKS)) {
                    Files.createDirectory(out);
                }
            } else if (e.isSymbolicLink()) {
                Files.deleteIfExists(out);
                Files.createSymbolicLink(out, Path.of(e.getLinkName()));
                continue;
            } else if (e.isFile()) {
                if (Files.isSymbolicLink(out)) {
                    Files.delete(out);
                }
                Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
            } else {
                continue; // devices, fifos and hard links are not recreated on the host
            }
            try {
                Files.setPosixFilePermissions(out, permissions(e.getMode()));
            } catch (UnsupportedOperationException ignored) {
                // not a POSIX file system
            }
        }
    }

    private void toContainer(String src, String container, String dstPath) throws IOException {
        ContainerClient containers = cli.client().containers();
        if (src.equals("-")) {
            containers.putArchive(container, dstPath, cli.io().in(), true, archive);
            return;
        }
        Path source = Path.of(src).toAbsolutePath().normalize();
        if (!Files.exists(source, followLink ? new LinkOption[0] : new LinkOption[] {LinkOption.NOFOLLOW_LINKS})) {
            throw new UsageError("lstat " + source + ": no such file or directory", 1);
        }
        PathStat stat = null;
        try {
            stat = containers.statPath(container, dstPath);
        } catch (BerthException e) {
            if (e.category() != ErrorCategory.NOT_FOUND || e.getMessage().contains("No such container")) {
                throw e;
            }
        }
        boolean contentOnly = src.endsWith("/.") && Files.isDirectory(source);
        String dir;
        String rootName;
        if (stat != null && stat.isDirectory()) {
            dir = dstPath;
            rootName = contentOnly ? null : source.getFileName().toString();
        } else {
            if (dstPath.endsWith("/")) {
                throw new UsageError("Error: destination directory " + dstPath + " must exist", 1);
            }
            int slash = dstPath.lastIndexOf('/');
            dir = slash <= 0 ? "/" : dstPath.substring(0, slash);
            rootName = dstPath.substring(slash + 1);
        }
        Path tmp = Files.createTempFile("berth-cp", ".tar");
        try {
            try (OutputStream file = Files.newOutputStream(tmp); TarArchiveOutputStream tar = new TarArchiveOutputStream(file)) {
                tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
                tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
                add(tar, source, rootName);
            }
            try (InputStream in = Files.newInputStream(tmp)) {
                containers.putArchive(container, dir, in, true, archive);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private void add(TarArchiveOutputStream tar, Path path, String name) throws IOException {
        boolean isLink = Files.isSymbolicLink(path) && !followLink;
        if (name != null) {
            TarArchiveEntry entry;
            if (isLink) {
                entry = new TarArchiveEntry(name, TarArchiveEntry.LF_SYMLINK);
                entry.setLinkName(Files.readSymbolicLink(path).toString());
            } else {
                entry = new TarArchiveEntry(path.toFile(), Files.isDirectory(path) ? name + "/" : name);
            }
            try {
                entry.setMode(mode(path, entry.isDirectory()));
            } catch (UnsupportedOperationException ignored) {
                // keep the default mode
            }
            tar.putArchiveEntry(entry);
            if (!isLink && Files.isRegularFile(path)) {
                Files.copy(path, tar);
            }
            tar.closeArchiveEntry();
        }
        if (!isLink && Files.isDirectory(path)) {
            try (Stream<Path> children = Files.list(path)) {
                for (Path child : children.sorted().toList()) {
                    add(tar, child, (name == null ? "" : name + "/") + child.getFileName());
                }
            }
        }
    }

    private static int mode(Path p, boolean dir) throws IOException {
        int mode = 0;
        for (PosixFilePermission perm : Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS)) {
            mode |= 1 << (8 - perm.ordinal());
        }
        return (dir ? 040000 : 0100000) | mode;
    }

    private static Set<PosixFilePermission> permissions(int mode) {
        Set<PosixFilePermission> perms = java.util.EnumSet.noneOf(PosixFilePermission.class);
        PosixFilePermission[] all = PosixFilePermission.values();
        for (int i = 0; i < 9; i++) {
            if ((mode & (1 << (8 - i))) != 0) {
                perms.add(all[i]);
            }
        }
        return perms;
    }

}
