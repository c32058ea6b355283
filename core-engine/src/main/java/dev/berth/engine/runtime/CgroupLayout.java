package dev.berth.engine.runtime;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * How this host mounts cgroups, read from mountinfo at run time: users have v1, v2 and hybrid (v1
 * controllers plus a v2 tree), and a spec may only ask for resources whose controller exists.
 *
 * @param controllers   the controllers that limits can be applied through (v1 mounts, or v2's root
 *                      {@code cgroup.controllers} when v2 is the only hierarchy)
 * @param v2Controllers in a hybrid layout, those the v2 tree holds because no v1 hierarchy mounts them
 *                      (systemd's hybrid mode leaves none there; a host that does not mount hugetlb
 *                      as v1 leaves it to v2)
 */
public record CgroupLayout(Mode mode, Set<String> controllers, Set<String> v2Controllers) {
    public enum Mode { V1, V2, HYBRID, NONE }

    public CgroupLayout(Mode mode, Set<String> controllers) {
        this(mode, controllers, Set.of());
    }

    /** Mount options that can sit beside the controller names in a v1 cgroup mount's super options. */
    private static final Set<String> NOT_CONTROLLERS = Set.of("rw", "ro", "xattr", "noprefix", "clone_children",
            "cpuset_v2_mode", "favordynmods", "nsdelegate");

    public boolean has(String controller) {
        return controllers.contains(controller);
    }

    public static CgroupLayout detect() {
        try {
            return fromMountInfo(Files.readAllLines(Path.of("/proc/self/mountinfo")), Path.of("/"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code root} prefixes mount points when reading v2's controller list, so tests can fake a tree. */
    static CgroupLayout fromMountInfo(List<String> mountInfo, Path root) {
        Set<String> v1 = new TreeSet<>();
        String v2MountPoint = null;
        for (String line : mountInfo) {
            int dash = line.indexOf(" - ");
            if (dash < 0) {
                continue;
            }
            String[] pre = line.substring(0, dash).split(" ");
            String[] post = line.substring(dash + 3).split(" ");
            if (pre.length < 5 || post.length < 3) {
                continue;
            }
            String fsType = post[0];
            if (fsType.equals("cgroup2")) {
                v2MountPoint = MountInfo.unescape(pre[4]);
            } else if (fsType.equals("cgroup")) {
                for (String opt : post[2].split(",")) {
                    if (!NOT_CONTROLLERS.contains(opt) && !opt.contains("=")) {
                        v1.add(opt);
                    }
                }
            }
        }
        if (v1.isEmpty() && v2MountPoint != null) {
            return new CgroupLayout(Mode.V2, v2Controllers(root, v2MountPoint));
        }
        if (!v1.isEmpty()) {
            return v2MountPoint != null
                    ? new CgroupLayout(Mode.HYBRID, Set.copyOf(v1), v2Controllers(root, v2MountPoint))
                    : new CgroupLayout(Mode.V1, Set.copyOf(v1));
        }
        return new CgroupLayout(Mode.NONE, Set.of());
    }

    private static Set<String> v2Controllers(Path root, String v2MountPoint) {
        Set<String> v2 = new TreeSet<>();
        Path file = root.resolve(v2MountPoint.substring(1)).resolve("cgroup.controllers");
        try {
            v2.addAll(List.of(Files.readString(file).trim().split("\\s+")));
            v2.remove("");
        } catch (IOException e) {
            // A v2 tree without the file is not usable for limits; report it empty rather than fail.
        }
        return Set.copyOf(v2);
    }
}
