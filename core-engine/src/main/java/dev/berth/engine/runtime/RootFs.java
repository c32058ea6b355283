package dev.berth.engine.runtime;

import dev.berth.errors.BerthException;
import dev.berth.images.layer.LayerDirs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A container's root filesystem: an overlay of the image's layer directories with a per-container
 * upper and work directory. The upper directory is the container's change set, which {@code docker
 * diff} and {@code commit} read; a deletion there is a 0/0 character device (the overlay whiteout).
 *
 * <p>Layout under the container's directory: {@code upper/}, {@code work/}, {@code merged/}, and
 * {@code empty/} for an image without layers, since overlay needs at least one lowerdir.
 *
 * <p>Limit: the whole option string must fit in one page ({@link Mounts#MAX_MOUNT_DATA}), so with
 * long data-root paths an image of a few dozen layers cannot be mounted yet. Docker's overlay2 solves
 * this with short symlinks ({@code l/XXXX}) and a relative-path mount from the layer root; that is
 * not done here, and such a mount fails with a clear error instead of EINVAL.
 */
public final class RootFs {
    private final Path dir;

    public RootFs(Path containerDir) {
        this.dir = containerDir;
    }

    public Path dir() {
        return dir;
    }

    public Path upper() {
        return dir.resolve("upper");
    }

    public Path work() {
        return dir.resolve("work");
    }

    public Path merged() {
        return dir.resolve("merged");
    }

    public boolean isMounted() {
        return MountInfo.isMountPoint(merged());
    }

    /**
     * Mounts the overlay unless it already is (a restarted daemon re-adopting a running container).
     *
     * @param lowerTopFirst layer directories, topmost first, as overlay's lowerdir wants them
     */
    public Path mount(List<Path> lowerTopFirst) throws IOException {
        Files.createDirectories(upper());
        Files.createDirectories(work());
        Files.createDirectories(merged());
        if (isMounted()) {
            return merged();
        }
        List<Path> lowers = lowerTopFirst;
        if (lowers.isEmpty()) {
            Path empty = dir.resolve("empty");
            Files.createDirectories(empty);
            lowers = List.of(empty);
        }
        String data = options(lowers, upper(), work());
        Mounts.mount("overlay", merged(), "overlay", 0, data);
        return merged();
    }

    static String options(List<Path> lowers, Path upper, Path work) {
        StringBuilder lower = new StringBuilder();
        for (Path p : lowers) {
            check(p);
            if (!lower.isEmpty()) {
                lower.append(':');
            }
            lower.append(p.toAbsolutePath());
        }
        check(upper);
        check(work);
        String data = "lowerdir=" + lower + ",upperdir=" + upper.toAbsolutePath() + ",workdir=" + work.toAbsolutePath();
        if (data.length() > Mounts.MAX_MOUNT_DATA) {
            throw BerthException.invalid("the image has too many layers for an overlay mount under this data root ("
                    + lowers.size() + " layers, " + data.length() + " bytes of mount options; the limit is "
                    + Mounts.MAX_MOUNT_DATA + ")");
        }
        return data;
    }

    /** Overlay splits its options on ',' and lowerdir on ':', with no escaping we can rely on. */
    private static void check(Path p) {
        String s = p.toAbsolutePath().toString();
        if (s.indexOf(',') >= 0 || s.indexOf(':') >= 0) {
            throw BerthException.invalid("overlay cannot use a path containing ',' or ':': " + s);
        }
    }

    /** Unmounts if mounted; a lazy detach is the fallback when something still holds it busy. */
    public void unmount() throws IOException {
        if (!isMounted()) {
            return;
        }
        try {
            Mounts.umount(merged(), 0);
        } catch (Mounts.MountException e) {
            Mounts.umount(merged(), Mounts.MNT_DETACH);
        }
    }

    /** Unmounts and deletes the container's change set and the mount scaffolding. */
    public void remove() throws IOException {
        unmount();
        for (Path p : List.of(upper(), work(), merged(), dir.resolve("empty"))) {
            LayerDirs.deleteRecursively(p);
        }
    }
}
