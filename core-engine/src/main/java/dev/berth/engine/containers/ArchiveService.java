package dev.berth.engine.containers;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import dev.berth.images.layer.Posix;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Files in and out of a container, running or not: {@code GET/HEAD/PUT /containers/{id}/archive}
 * ({@code docker cp}) and {@code GET /containers/{id}/export}. Paths are resolved in the container's
 * scope ({@link ScopedPath}); a stopped container's overlay is mounted for the duration.
 */
public final class ArchiveService {
    private final ContainerService containers;

    public ArchiveService(ContainerService containers) {
        this.containers = containers;
    }

    /** Docker's {@code container.PathStat}, with the mode as Go's {@code os.FileMode}. */
    public record PathStat(String name, long size, long mode, String mtime, String linkTarget) {
        public Map<String, Object> toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("size", size);
            m.put("mode", mode);
            m.put("mtime", mtime);
            m.put("linkTarget", linkTarget);
            return m;
        }

        /** The {@code X-Docker-Container-Path-Stat} header: base64 of the JSON. */
        public String header() {
            try {
                return Base64.getEncoder().encodeToString(Json.MAPPER.writeValueAsBytes(toJson()));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    public interface Sink {
        /** Called once the path is known to exist: set headers, then give where the tar goes. */
        OutputStream open(PathStat stat) throws IOException;
    }

    public PathStat stat(String ref, String path) throws IOException {
        return containers.withRootFs(ref, true, (r, rootfs, lowers) -> {
            Target t = target(r, rootfs.merged(), ref, path, false);
            return statResolved(t.root(), ref, path, t.path(), resolve(t.root(), ref, t.path(), false));
        });
    }

    /** GET archive: a 404 still comes before anything is written. */
    public void get(String ref, String path, Sink sink) throws IOException {
        containers.withRootFs(ref, true, (r, rootfs, lowers) -> {
            Target t = target(r, rootfs.merged(), ref, path, false);
            Path root = t.root();
            Path resolved = resolve(root, ref, t.path(), false);
            PathStat stat = statResolved(root, ref, path, t.path(), resolved);
            String name = baseName(path);
            String containerPath = ScopedPath.containerPathOf(root, resolved);
            int cut = containerPath.lastIndexOf('/');
            try (PinnedDir rootDir = PinnedDir.open(root);
                 PinnedDir parent = containerPath.equals("/") ? PinnedDir.open(root.getParent())
                         : rootDir.openInRoot(containerPath.substring(0, Math.max(cut, 1)));
                 OutputStream out = sink.open(stat)) {
                TreeArchiver tar = new TreeArchiver(out);
                tar.add(parent, containerPath.equals("/") ? root.getFileName().toString() : containerPath.substring(cut + 1), name);
                tar.finish();
            }
            return null;
        });
    }

    /** PUT archive: {@code path} must be a directory (a symlink to one is followed, in scope). */
    public void put(String ref, String path, boolean noOverwriteDirNonDir, boolean copyUidGid, InputStream tar)
            throws IOException {
        if (path == null || path.isEmpty()) {
            throw BerthException.invalid("path is required");
        }
        containers.withRootFs(ref, true, (r, rootfs, lowers) -> {
            Target t = target(r, rootfs.merged(), ref, path, true);
            // moby's checks and 400s: a read-only mount refuses; a read-only rootfs refuses what is not under a
            // mount. Unlike moby, a --tmpfs (HostConfig.Tmpfs) counts as a mount, as --mount type=tmpfs does there.
            if (t.mount() != null && !t.mount().rw()) {
                throw BerthException.invalid("mounted volume is marked read-only");
            }
            if (t.root().equals(rootfs.merged()) && r.config().path("HostConfig").path("ReadonlyRootfs").asBoolean(false)) {
                throw BerthException.invalid("container rootfs is marked read-only");
            }
            Path root = t.root();
            Path dir = resolve(root, ref, t.path(), true);
            if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
                if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
                    throw notFound(ref, path);
                }
                throw BerthException.invalid("extraction point is not a directory");
            }
            int[] owner = copyUidGid ? ContainerUser.resolve(rootfs.merged(), r.config().path("Config").path("User").asText("")) : new int[] {0, 0};
            new ArchiveExtractor(root, ScopedPath.containerPathOf(root, dir), noOverwriteDirNonDir, owner[0], owner[1])
                    .extract(tar);
            return null;
        });
    }

    /** GET export: the container's whole filesystem as one tar, names relative to its root. */
    public void export(String ref, java.util.function.Supplier<OutputStream> sink) throws IOException {
        containers.withRootFs(ref, true, (r, rootfs, lowers) -> {
            try (PinnedDir rootDir = PinnedDir.open(rootfs.merged()); OutputStream out = sink.get()) {
                TreeArchiver tar = new TreeArchiver(out);
                tar.addChildren(rootDir);
                tar.finish();
            }
            return null;
        });
    }

    /** Where a container path lives: the rootfs, or the host side of a bind or volume mounted over it. */
    record Target(Path root, String path, dev.berth.engine.volumes.MountPoint mount) {
    }

    /**
     * Binds and volumes are mounted in the container's own mount namespace only, so a path under one is
     * served from its host source (the innermost mount wins), as Docker's cp sees the volume and not
     * the directory it covers. The rest of the path is resolved again inside the mount, so a symlink
     * there stays within it. A tmpfs has no host side: it is reached in the running container's mount
     * namespace through {@code /proc/<pid>/root} (the kernel follows that magic link into the
     * container's root; the rest is resolved in scope there as for any root). Only PUT passes
     * {@code followLast}, so it stands for "writing" here.
     */
    static Target target(ContainerRecord r, Path merged, String ref, String path, boolean followLast) throws IOException {
        if (path == null || path.isEmpty()) {
            throw BerthException.invalid("path is required");
        }
        String inContainer;
        try {
            inContainer = ScopedPath.containerPathOf(merged, ScopedPath.resolve(merged, path, followLast, false));
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw notFound(ref, path);
        }
        dev.berth.engine.volumes.MountPoint best = null;
        String bestDest = null;
        for (var m : dev.berth.engine.volumes.ContainerMounts.of(r.config())) {
            boolean tmpfs = dev.berth.engine.volumes.MountPoint.TMPFS.equals(m.type());
            if (m.destination() == null || (!tmpfs && (m.source() == null || m.source().isEmpty()))) {
                continue;
            }
            String d = trimSlash(m.destination());
            if (under(inContainer, d) && (bestDest == null || d.length() > bestDest.length())) {
                best = m;
                bestDest = d;
            }
        }
        // --tmpfs mounts are kept in HostConfig.Tmpfs, not with the other mounts.
        String tmpfsDest = null;
        for (var e : r.config().path("HostConfig").path("Tmpfs").properties()) {
            String d = trimSlash(e.getKey());
            if (under(inContainer, d) && (bestDest == null || d.length() > bestDest.length())) {
                tmpfsDest = d;
                bestDest = d;
            }
        }
        if (bestDest == null) {
            return new Target(merged, path, null);
        }
        String d = bestDest;
        String rest = inContainer.length() > d.length() ? inContainer.substring(d.length()) : "/";
        if (path.endsWith("/") && !rest.endsWith("/")) {
            rest = rest + "/";
        }
        if (tmpfsDest != null || dev.berth.engine.volumes.MountPoint.TMPFS.equals(best.type())) {
            if (!r.running() || r.pid() <= 0 || !stillTheContainers(r)) {
                if (!followLast) {
                    // Reading a stopped container sees what its rootfs has there, as Docker's cp does.
                    return new Target(merged, path, null);
                }
                throw new BerthException(ErrorCategory.CONFLICT, "cannot copy into " + d
                        + ": it is a tmpfs mount, which exists only while the container is running");
            }
            return new Target(Path.of("/proc/" + r.pid() + "/root" + d), rest, tmpfsDest != null ? null : best);
        }
        return new Target(Path.of(best.source()), rest, best);
    }

    /** A pid the container no longer holds could be reused by a host process, whose root is the host's. */
    private static boolean stillTheContainers(ContainerRecord r) {
        try {
            return Files.readString(Path.of("/proc/" + r.pid() + "/cgroup")).contains(r.id());
        } catch (IOException e) {
            return false;
        }
    }

    private static String trimSlash(String d) {
        return d.length() > 1 && d.endsWith("/") ? d.substring(0, d.length() - 1) : d;
    }

    private static boolean under(String inContainer, String d) {
        return inContainer.equals(d) || inContainer.startsWith(d.equals("/") ? "/" : d + "/");
    }

    private static Path resolve(Path root, String ref, String path, boolean followLast) throws IOException {
        if (path == null || path.isEmpty()) {
            throw BerthException.invalid("path is required");
        }
        try {
            return ScopedPath.resolve(root, path, followLast, false);
        } catch (NoSuchFileException | NotDirectoryException e) {
            throw notFound(ref, path);
        }
    }

    private static PathStat statResolved(Path root, String ref, String path, String pathInRoot, Path resolved)
            throws IOException {
        Map<String, Object> a;
        try {
            a = Files.readAttributes(resolved, "unix:mode,size,lastModifiedTime", LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            throw notFound(ref, path);
        }
        int mode = (Integer) a.get("mode");
        String linkTarget = "";
        if ((mode & Posix.S_IFMT) == Posix.S_IFLNK) {
            linkTarget = ScopedPath.containerPathOf(root, ScopedPath.resolve(root, pathInRoot, true, false));
        }
        return new PathStat(baseName(path), (Long) a.get("size"), goFileMode(mode),
                ((FileTime) a.get("lastModifiedTime")).toInstant().toString(), linkTarget);
    }

    /** moby rebases entries to the base name of the path as asked, whatever a symlink resolved it to. */
    static String baseName(String path) {
        String p = path;
        while (p.length() > 1 && p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        if (p.equals("/") || p.isEmpty()) {
            return "/";
        }
        if (p.endsWith("/.")) {
            return ".";
        }
        return p.substring(p.lastIndexOf('/') + 1);
    }

    static BerthException notFound(String ref, String path) {
        return BerthException.notFound("Could not find the file " + path + " in container " + ref);
    }

    /** Unix st_mode to Go's os.FileMode, whose type bits the docker CLI reads. */
    static long goFileMode(int mode) {
        long m = mode & 0777;
        switch (mode & Posix.S_IFMT) {
            case Posix.S_IFDIR -> m |= 1L << 31;
            case Posix.S_IFLNK -> m |= 1L << 27;
            case Posix.S_IFBLK -> m |= 1L << 26;
            case Posix.S_IFCHR -> m |= (1L << 26) | (1L << 21);
            case Posix.S_IFIFO -> m |= 1L << 25;
            case 0140000 -> m |= 1L << 24;
            default -> { }
        }
        if ((mode & Posix.S_ISUID) != 0) {
            m |= 1L << 23;
        }
        if ((mode & Posix.S_ISGID) != 0) {
            m |= 1L << 22;
        }
        if ((mode & Posix.S_ISVTX) != 0) {
            m |= 1L << 20;
        }
        return m;
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
