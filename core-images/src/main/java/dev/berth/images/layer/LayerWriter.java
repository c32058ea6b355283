package dev.berth.images.layer;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import static dev.berth.images.layer.LayerRoot.printable;

/**
 * Applies tar entries, one at a time, to a directory that will be an overlayfs lowerdir. One instance
 * per unpack; not thread-safe.
 *
 * <p>Replacement follows containerd: an entry replaces whatever this layer already put at its path,
 * except that a directory entry over a directory merges (only the metadata changes). Whiteouts follow
 * the OCI rule that a whiteout hides lower layers only: {@code .wh.x} becomes the overlay whiteout (a
 * 0/0 character device) only where this layer has nothing at {@code x}; if this layer adds a directory
 * {@code x} as well, in either order, that directory is made opaque instead, which is what "hide the
 * lower x, keep ours" means for a directory. A file needs nothing: it hides the lower x by itself.
 */
final class LayerWriter {
    private static final System.Logger LOG = System.getLogger(LayerWriter.class.getName());
    static final String WHITEOUT_PREFIX = ".wh.";
    static final String OPAQUE_MARKER = ".wh..wh..opq";
    static final String OPAQUE_XATTR = "trusted.overlay.opaque";
    private static final String AUFS_META_PREFIX = ".wh..wh.";

    private final LayerRoot root;
    private final int umask;
    private final boolean isRoot = Posix.isRoot();
    private final int euid = Posix.geteuid();
    private final int egid = Posix.getegid();
    /** Directory times are set last: creating anything inside a directory bumps its mtime. */
    private final Map<Path, long[]> directoryTimes = new LinkedHashMap<>();
    private final Set<Path> whiteouts = new HashSet<>();
    private final Set<Path> setgidDirectories = new HashSet<>();
    private long applied;
    private boolean ownershipSkipped;

    LayerWriter(LayerRoot root, int umask) {
        this.root = root;
        this.umask = umask;
    }

    long appliedCount() {
        return applied;
    }

    void apply(TarHeader h, TarReader content) throws IOException {
        String rel = LayerRoot.normalize(h.name(), h.name());
        if (rel.isEmpty()) {
            // The layer's own root: its lowerdir is ours to set up, as containerd also decides.
            return;
        }
        int slash = rel.lastIndexOf('/');
        String parentRel = slash < 0 ? "" : rel.substring(0, slash);
        String base = rel.substring(slash + 1);

        if (base.equals(OPAQUE_MARKER)) {
            setOpaque(root.directory(h.name(), parentRel, true));
            applied++;
            return;
        }
        if (base.startsWith(AUFS_META_PREFIX)) {
            // AUFS bookkeeping (.wh..wh.plnk, .wh..wh.aufs): never content, and Docker skips it too.
            return;
        }
        if (base.startsWith(WHITEOUT_PREFIX)) {
            whiteout(h, parentRel, base.substring(WHITEOUT_PREFIX.length()));
            applied++;
            return;
        }

        Path parent = root.directory(h.name(), parentRel, true);
        Path path = parent.resolve(base);
        Path linkTarget = h.type() == TarHeader.Type.HARDLINK ? hardlinkTarget(h) : null;
        if (path.equals(linkTarget)) {
            applied++;
            return; // a link to itself: the file is already there
        }
        BasicFileAttributes existing = LayerRoot.lstat(path);
        boolean merge = existing != null && existing.isDirectory() && h.type() == TarHeader.Type.DIRECTORY;
        boolean replacesWhiteout = whiteouts.remove(path);
        if (existing != null && !merge) {
            remove(path, existing);
        }

        int perm = h.permissions();
        int createdPerm;
        switch (h.type()) {
            case DIRECTORY -> {
                if (!merge) {
                    Files.createDirectory(path);
                }
                createdPerm = merge ? -1 : 0777 & ~umask;
            }
            case REGULAR -> {
                writeFile(path, content);
                createdPerm = 0666 & ~umask;
            }
            case SYMLINK -> {
                if (h.linkNameBytes().length == 0) {
                    throw BerthException.invalid("layer entry \"" + printable(h.name()) + "\" is a symlink with an empty target");
                }
                Posix.symlink(h.linkNameBytes(), path);
                createdPerm = -1;
            }
            case HARDLINK -> {
                Files.createLink(path, linkTarget);
                applied++;
                return; // the inode, with its metadata, is the target's
            }
            case CHAR_DEVICE, BLOCK_DEVICE, FIFO -> {
                int kind = switch (h.type()) {
                    case CHAR_DEVICE -> Posix.S_IFCHR;
                    case BLOCK_DEVICE -> Posix.S_IFBLK;
                    default -> Posix.S_IFIFO;
                };
                long dev = h.type() == TarHeader.Type.FIFO ? 0 : Posix.makedev(h.devMajor(), h.devMinor());
                makeNode(h, path, kind | (perm & 0777), dev);
                createdPerm = perm & 0777 & ~umask;
            }
            default -> throw new IllegalStateException("unhandled type " + h.type());
        }

        boolean chowned = applyOwner(h, path, parent, merge);
        if (h.type() != TarHeader.Type.SYMLINK && (perm != createdPerm || chowned && (perm & 06000) != 0)) {
            Posix.chmod(path, perm);
        }
        if (h.type() == TarHeader.Type.DIRECTORY) {
            if ((perm & Posix.S_ISGID) != 0) {
                setgidDirectories.add(path);
            } else {
                setgidDirectories.remove(path);
            }
        }
        applyXattrs(h, path);
        if (h.type() == TarHeader.Type.DIRECTORY) {
            if (replacesWhiteout) {
                setOpaque(path);
            }
            directoryTimes.put(path, new long[] {h.atimeSeconds(), h.atimeNanos(), h.mtimeSeconds(), h.mtimeNanos()});
        } else {
            Posix.lutimes(path, h.atimeSeconds(), h.atimeNanos(), h.mtimeSeconds(), h.mtimeNanos());
        }
        applied++;
    }

    /** Sets the directory times deferred during the unpack. */
    void finish() throws IOException {
        for (Map.Entry<Path, long[]> e : directoryTimes.entrySet()) {
            long[] t = e.getValue();
            try {
                Posix.lutimes(e.getKey(), t[0], (int) t[1], t[2], (int) t[3]);
            } catch (Posix.PosixException ex) {
                // A later entry replaced the directory, or removed it with its parent.
                if (ex.errno() != Posix.ENOENT) {
                    throw ex;
                }
            }
        }
        if (ownershipSkipped) {
            LOG.log(System.Logger.Level.DEBUG, "not root: file owners in " + root.path() + " are this process's, not the layer's");
        }
    }

    private void writeFile(Path path, TarReader content) throws IOException {
        try (FileChannel out = FileChannel.open(path, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
                LinkOption.NOFOLLOW_LINKS)) {
            ByteBuffer chunk;
            while ((chunk = content.contentChunk()) != null) {
                while (chunk.hasRemaining()) {
                    out.write(chunk);
                }
            }
        }
    }

    private Path hardlinkTarget(TarHeader h) throws IOException {
        String target;
        try {
            target = LayerRoot.normalize(h.name(), h.linkName());
        } catch (BerthException e) {
            throw LayerRoot.escapes(h.name(), ": its hard link target \"" + printable(h.linkName()) + "\" is outside it");
        }
        if (target.isEmpty()) {
            throw BerthException.invalid("layer entry \"" + printable(h.name()) + "\" is a hard link to the layer root");
        }
        int slash = target.lastIndexOf('/');
        Path dir = root.directory(h.name(), slash < 0 ? "" : target.substring(0, slash), false);
        Path path = dir == null ? null : dir.resolve(target.substring(slash + 1));
        BasicFileAttributes attrs = path == null ? null : LayerRoot.lstat(path);
        if (attrs == null) {
            throw BerthException.invalid("layer entry \"" + printable(h.name()) + "\" is a hard link to \""
                    + printable(h.linkName()) + "\", which is not in the layer");
        }
        if (attrs.isDirectory()) {
            throw BerthException.invalid("layer entry \"" + printable(h.name()) + "\" is a hard link to directory \""
                    + printable(h.linkName()) + "\"");
        }
        return path;
    }

    private void whiteout(TarHeader h, String parentRel, String name) throws IOException {
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            throw BerthException.invalid("layer entry \"" + printable(h.name()) + "\" is a whiteout of nothing");
        }
        Path path = root.directory(h.name(), parentRel, true).resolve(name);
        BasicFileAttributes existing = LayerRoot.lstat(path);
        if (existing != null) {
            if (existing.isDirectory()) {
                setOpaque(path);
            }
            return;
        }
        makeNode(h, path, Posix.S_IFCHR, 0);
        whiteouts.add(path);
        if (isRoot && (h.uid() != euid || h.gid() != egid)) {
            Posix.lchown(path, id(h, h.uid(), "uid"), id(h, h.gid(), "gid"));
        }
        // Overlay ignores it, but it makes unpack, diff, unpack give identical trees.
        Posix.lutimes(path, h.atimeSeconds(), h.atimeNanos(), h.mtimeSeconds(), h.mtimeNanos());
    }

    private void makeNode(TarHeader h, Path path, int mode, long dev) throws IOException {
        try {
            Posix.mknod(path, mode, dev);
        } catch (Posix.PosixException e) {
            if (e.errno() == Posix.EPERM && !isRoot) {
                throw new BerthException(ErrorCategory.FORBIDDEN, "layer entry \"" + printable(h.name())
                        + "\" is a device node or whiteout, and creating one needs root", e);
            }
            throw e;
        }
    }

    private void setOpaque(Path dir) throws IOException {
        try {
            Posix.lsetxattr(dir, OPAQUE_XATTR, new byte[] {'y'});
        } catch (Posix.PosixException e) {
            if (e.errno() == Posix.EPERM && !isRoot) {
                throw new BerthException(ErrorCategory.FORBIDDEN, "marking " + dir + " opaque needs root (trusted.* xattrs)", e);
            }
            throw e;
        }
    }

    /**
     * chown is skipped where it would change nothing: a new entry wanted owned by this process, in a
     * directory that does not hand down its group (setgid). Without root it is skipped always, since
     * it could only fail.
     */
    private boolean applyOwner(TarHeader h, Path path, Path parent, boolean merged) throws IOException {
        int uid = id(h, h.uid(), "uid");
        int gid = id(h, h.gid(), "gid");
        if (!isRoot) {
            ownershipSkipped |= uid != euid || gid != egid;
            return false;
        }
        if (!merged && uid == euid && gid == egid && !setgidDirectories.contains(parent)) {
            return false;
        }
        Posix.lchown(path, uid, gid);
        return true;
    }

    private static int id(TarHeader h, long value, String what) {
        // -1 would mean "leave unchanged" to chown(2), so the range stops just short of it.
        if (value < 0 || value > 0xFFFF_FFFEL) {
            throw BerthException.invalid("layer entry \"" + printable(h.name()) + "\" has an invalid " + what + " " + value);
        }
        return (int) value;
    }

    /**
     * Xattr policy. {@code trusted.overlay.*} from a layer is never applied: those attributes steer
     * overlayfs itself (opaque, redirect, metacopy), and a layer may only say "opaque" through the OCI
     * marker. {@code security.*} and {@code system.*} (SELinux labels, ACLs) are skipped with a
     * warning when the host refuses them (EPERM, EACCES, EOPNOTSUPP), since such a host could not
     * honour them anyway; this is Docker's best-effort rule. Any other failure fails the unpack, so a
     * missing capability or user xattr is never silently dropped.
     */
    private void applyXattrs(TarHeader h, Path path) throws IOException {
        for (Map.Entry<String, byte[]> x : h.xattrs().entrySet()) {
            String name = x.getKey();
            if (name.startsWith("trusted.overlay.")) {
                LOG.log(System.Logger.Level.WARNING, "layer entry \"" + printable(h.name()) + "\": ignoring xattr " + name);
                continue;
            }
            try {
                Posix.lsetxattr(path, name, x.getValue());
            } catch (Posix.PosixException e) {
                boolean tolerated = (name.startsWith("security.") || name.startsWith("system."))
                        && (e.errno() == Posix.EPERM || e.errno() == Posix.EACCES || e.errno() == Posix.EOPNOTSUPP);
                if (!tolerated) {
                    throw new BerthException(ErrorCategory.SYSTEM, "layer entry \"" + printable(h.name())
                            + "\": cannot set xattr " + name + ": " + e.getMessage(), e);
                }
                LOG.log(System.Logger.Level.WARNING, "layer entry \"" + printable(h.name()) + "\": xattr " + name
                        + " not set: " + e.getMessage());
            }
        }
    }

    private void remove(Path path, BasicFileAttributes existing) throws IOException {
        if (existing.isDirectory()) {
            LayerDirs.deleteRecursively(path);
            directoryTimes.remove(path);
            root.forget();
        } else {
            Files.delete(path);
            if (existing.isSymbolicLink()) {
                root.forget();
            }
        }
    }
}
