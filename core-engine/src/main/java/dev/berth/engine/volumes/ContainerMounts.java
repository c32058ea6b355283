package dev.berth.engine.volumes;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.runtime.RootfsPath;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import dev.berth.images.manifest.ImageConfig;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * What the container backend asks of volumes: a create request's mounts turned into volumes (created
 * on demand and referenced by the container), bind sources and OCI spec mounts; image content copied
 * into empty volumes; mount/unmount around a run; anonymous volumes dropped with {@code rm -v}.
 * The plan is persisted in the container's catalog row under {@code MountPoints}.
 */
public final class ContainerMounts {
    private static final Logger LOG = Logger.getLogger(ContainerMounts.class.getName());
    /** Where the plan lives in the container's stored config. */
    public static final String KEY = "MountPoints";
    /** moby oci defaults for tmpfs mounts; the user's options are merged over them. */
    static final List<String> TMPFS_DEFAULTS = List.of("noexec", "nosuid", "nodev", "rprivate");

    private final VolumeService volumes;

    public ContainerMounts(VolumeService volumes) {
        this.volumes = volumes;
    }

    /** One container's mounts at create. {@link #abandon} undoes what {@link ContainerMounts#plan} did. */
    public final class Plan {
        private final String containerId;
        private final List<MountPoint> mounts;
        private final Map<String, String> tmpfs;
        private final List<String> createdAnonymous = new ArrayList<>();

        Plan(String containerId, List<MountPoint> mounts, Map<String, String> tmpfs) {
            this.containerId = containerId;
            this.mounts = mounts;
            this.tmpfs = tmpfs;
        }

        public List<MountPoint> mounts() {
            return mounts;
        }

        public JsonNode toJson() {
            return Json.MAPPER.valueToTree(mounts);
        }

        /** Adds the mounts to the OCI spec, replacing default mounts at the same destinations, shallowest first. */
        public void applyTo(ObjectNode spec) {
            applyMounts(spec, mounts, tmpfs);
        }

        public boolean needsRootfs() {
            return mounts.stream().anyMatch(m -> m.type().equals(MountPoint.VOLUME));
        }

        /**
         * Docker's create-time checks and population, with the container's rootfs mounted at {@code rootfs}:
         * a volume cannot hide a file, and an empty volume gets the image's content at its destination.
         */
        public void populate(Path rootfs) throws IOException {
            for (MountPoint m : mounts) {
                if (!m.type().equals(MountPoint.VOLUME)) {
                    continue;
                }
                Path inRootfs = RootfsPath.resolve(rootfs, m.destination());
                if (m.anonymous() && Files.exists(inRootfs, LinkOption.NOFOLLOW_LINKS)
                        && !Files.isDirectory(inRootfs, LinkOption.NOFOLLOW_LINKS)) {
                    throw BerthException.invalid("cannot mount volume over existing file, file exists " + inRootfs);
                }
                VolumeRecord v = volumes.require(m.name());
                // A volume with mount options is a filesystem mounted only while it is used (Docker copies
                // into it and unmounts, which loses a tmpfs copy): nothing to populate here.
                if (m.copyData() && !VolumeService.needsMount(v)) {
                    ImageContentCopy.copyIfEmpty(inRootfs, volumes.dataPath(m.name()));
                }
            }
        }

        /** The create failed: references go, volumes this create made for itself go too. */
        public void abandon() {
            try {
                volumes.released(containerId, createdAnonymous);
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "releasing the volumes of a failed create failed", e);
            }
        }
    }

    /** Parses and validates the request, creates volumes and bind sources, and references the volumes. */
    public Plan plan(String containerId, JsonNode config, JsonNode hostConfig, ImageConfig image) {
        Map<String, Object> imageVolumes = image == null || image.config() == null ? null : image.config().volumes();
        MountParser.Parsed parsed = MountParser.parse(config, hostConfig, imageVolumes);
        List<MountPoint> resolved = new ArrayList<>();
        Plan plan = new Plan(containerId, resolved, parsed.tmpfs());
        try {
            for (MountPoint m : parsed.mounts()) {
                resolved.add(switch (m.type()) {
                    case MountPoint.VOLUME -> {
                        VolumeRecord v = volumes.acquire(m.name(), m.driver(), m.volumeLabels(), m.volumeOptions(), containerId);
                        if (m.anonymous()) {
                            plan.createdAnonymous.add(v.name());
                        }
                        yield m.withVolume(v.name(), volumes.dataPath(v.name()).toString(), v.driver());
                    }
                    case MountPoint.BIND -> {
                        createSource(m);
                        yield m;
                    }
                    default -> m;
                });
            }
        } catch (RuntimeException e) {
            plan.abandon();
            throw e;
        }
        return plan;
    }

    /** {@code -v /missing:/x} creates the host directory, as Docker does; {@code --mount} did refuse it already. */
    private static void createSource(MountPoint m) {
        Path src = Path.of(m.source());
        if (!m.createSource() || Files.exists(src)) {
            return;
        }
        try {
            Files.createDirectories(src);
            Files.setPosixFilePermissions(src, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw BerthException.system("error while creating mount source path '" + m.source() + "': " + e.getMessage(), e);
        }
    }

    static void applyMounts(ObjectNode spec, List<MountPoint> mounts, Map<String, String> tmpfs) {
        ArrayNode list = spec.withArray("mounts");
        Set<String> dests = new LinkedHashSet<>(tmpfs.keySet());
        mounts.forEach(m -> dests.add(m.destination()));
        for (int i = list.size() - 1; i >= 0; i--) {
            if (dests.contains(list.get(i).path("destination").asText())) {
                list.remove(i);
            }
        }
        record Entry(String dest, ObjectNode node) {
        }
        List<Entry> entries = new ArrayList<>();
        for (MountPoint m : mounts) {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("destination", m.destination());
            if (m.type().equals(MountPoint.TMPFS)) {
                n.put("type", "tmpfs");
                n.put("source", "tmpfs");
                mergeTmpfs(m.data()).forEach(n.putArray("options")::add);
            } else {
                n.put("type", "bind");
                n.put("source", m.source());
                ArrayNode o = n.putArray("options");
                o.add("rbind");
                if (!m.rw()) {
                    o.add("ro");
                }
                o.add(m.propagation() == null || m.propagation().isEmpty() ? "rprivate" : m.propagation());
            }
            entries.add(new Entry(m.destination(), n));
        }
        tmpfs.forEach((dest, data) -> {
            ObjectNode n = Json.MAPPER.createObjectNode();
            n.put("destination", dest);
            n.put("type", "tmpfs");
            n.put("source", "tmpfs");
            mergeTmpfs(data).forEach(n.putArray("options")::add);
            entries.add(new Entry(dest, n));
        });
        // moby sortMounts: fewer path parts first, so /a is mounted before /a/b hides in it.
        entries.sort(Comparator.comparingLong(e -> e.dest().chars().filter(c -> c == '/').count()));
        entries.forEach(e -> list.add(e.node()));
    }

    /** moby mount.MergeTmpfsOptions: a later flag overrides its opposite, a later key=value its key. */
    static List<String> mergeTmpfs(String data) {
        List<String> all = new ArrayList<>(TMPFS_DEFAULTS);
        if (data != null && !data.isEmpty()) {
            all.addAll(List.of(data.split(",")));
        }
        Map<String, String> opposite = Map.ofEntries(Map.entry("exec", "noexec"), Map.entry("suid", "nosuid"),
                Map.entry("dev", "nodev"), Map.entry("rw", "ro"), Map.entry("atime", "noatime"),
                Map.entry("diratime", "nodiratime"), Map.entry("async", "sync"));
        LinkedHashMap<String, String> byKey = new LinkedHashMap<>();
        for (String o : all) {
            if (o.isEmpty()) {
                continue;
            }
            int eq = o.indexOf('=');
            String key;
            if (eq >= 0) {
                key = o.substring(0, eq);
            } else if (MountParser.PROPAGATIONS.contains(o)) {
                key = "propagation";
            } else {
                String base = o;
                for (var e : opposite.entrySet()) {
                    if (o.equals(e.getValue())) {
                        base = e.getKey();
                    }
                }
                key = base;
            }
            byKey.remove(key);
            byKey.put(key, o);
        }
        return new ArrayList<>(byKey.values());
    }

    // ---- after create ----

    /** The mounts persisted in a container's stored config. */
    public static List<MountPoint> of(JsonNode storedConfig) {
        JsonNode n = storedConfig.path(KEY);
        if (!n.isArray()) {
            return List.of();
        }
        return Json.MAPPER.convertValue(n, new TypeReference<List<MountPoint>>() { });
    }

    /** Inspect's and ps's {@code Mounts}. */
    public static List<Map<String, Object>> inspect(JsonNode storedConfig) {
        return of(storedConfig).stream().map(MountPoint::toInspect).toList();
    }

    /** Before the container's process starts: volumes with a filesystem get it mounted; mount events. */
    public void starting(String containerId, JsonNode storedConfig) throws IOException {
        for (MountPoint m : of(storedConfig)) {
            if (m.type().equals(MountPoint.VOLUME)) {
                volumes.mounted(m.name(), containerId, m.destination(), m.rw());
            }
        }
    }

    /** After the container's exit: unmount events, and filesystems no running container uses any more. */
    public void stopped(String containerId, JsonNode storedConfig, Predicate<String> running) {
        for (MountPoint m : of(storedConfig)) {
            if (m.type().equals(MountPoint.VOLUME)) {
                try {
                    volumes.unmounted(m.name(), containerId, running);
                } catch (RuntimeException e) {
                    // The exit must still be recorded and its waiters woken.
                    LOG.log(Level.WARNING, "unmounting volume " + m.name() + " of " + containerId + " failed", e);
                }
            }
        }
    }

    /** The container is gone: references go, and with {@code removeAnonymous} its anonymous volumes too. */
    public void removed(String containerId, JsonNode storedConfig, boolean removeAnonymous) {
        List<String> anonymous = removeAnonymous
                ? of(storedConfig).stream().filter(m -> m.type().equals(MountPoint.VOLUME) && m.anonymous())
                        .map(MountPoint::name).toList()
                : List.of();
        try {
            volumes.released(containerId, anonymous);
        } catch (RuntimeException e) {
            // The container is gone already; the start-up sweep drops references it left.
            LOG.log(Level.WARNING, "releasing the volumes of " + containerId + " failed", e);
        }
    }
}
