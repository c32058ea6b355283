package dev.berth.engine.volumes;

import dev.berth.engine.events.EngineEvent;
import dev.berth.engine.events.EventBus;
import dev.berth.engine.runtime.MountInfo;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.layer.LayerDirs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Docker's local volume driver and volume service: named directories under {@code volumes/}, created
 * on demand for containers, referenced by the containers that mount them, and removable only when no
 * container does. Volumes with {@code type}/{@code device}/{@code o} options are mounted onto their
 * {@code _data} directory while a running container uses them, as Docker's local driver does.
 */
public final class VolumeService {
    private static final Logger LOG = Logger.getLogger(VolumeService.class.getName());
    public static final String LOCAL = "local";
    /** moby names.RestrictedNameChars. */
    static final String NAME_CHARS = "[a-zA-Z0-9][a-zA-Z0-9_.-]";
    private static final Pattern NAME = Pattern.compile("^" + NAME_CHARS + "+$");
    private static final Set<String> VALID_OPTS = Set.of("type", "o", "device", "size");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final VolumeStore store;
    private final Path root;
    private final EventBus events;
    /** Striped per-name locks: bounded, unlike a lock per name ever seen (anonymous names are endless). */
    private final Object[] locks = new Object[64];
    private final AtomicBoolean pruning = new AtomicBoolean();

    public VolumeService(VolumeStore store, Path root, EventBus events) throws IOException {
        this.store = store;
        this.root = root;
        this.events = events;
        for (int i = 0; i < locks.length; i++) {
            locks[i] = new Object();
        }
        Files.createDirectories(root);
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwx-----x"));
    }

    public VolumeStore store() {
        return store;
    }

    /** Where a volume's data lives; a volume with mount options has its filesystem mounted here. */
    public Path dataPath(String name) {
        return root.resolve(name).resolve("_data");
    }

    private Object lock(String name) {
        return locks[Math.floorMod(name.hashCode(), locks.length)];
    }

    // ---- create ----

    /** {@code POST /volumes/create}: idempotent for an existing name, as Docker's. */
    public Map<String, Object> create(String name, String driver, Map<String, String> labels, Map<String, String> options) {
        return toApi(acquire(name, driver, labels, options, null), null, false);
    }

    /**
     * Gets or creates a volume; an empty name makes an anonymous one. With {@code containerId}, the
     * container becomes a reference in the same transaction.
     */
    public VolumeRecord acquire(String name, String driver, Map<String, String> labels, Map<String, String> options,
                                String containerId) {
        Map<String, String> l = new LinkedHashMap<>(labels == null ? Map.of() : labels);
        if (name == null || name.isEmpty()) {
            byte[] b = new byte[32];
            RANDOM.nextBytes(b);
            name = HexFormat.of().formatHex(b);
            l.put(VolumeRecord.ANONYMOUS_LABEL, "");
        } else {
            try {
                validateName(name);
            } catch (BerthException e) {
                throw BerthException.invalid("create " + name + ": " + e.getMessage());
            }
        }
        String d = driver == null || driver.isEmpty() ? LOCAL : driver;
        if (!d.equals(LOCAL)) {
            throw BerthException.notFound("error looking up volume plugin " + d + ": plugin \"" + d + "\" not found");
        }
        Map<String, String> opts = options == null ? Map.of() : options;
        synchronized (lock(name)) {
            var existing = store.get(name);
            boolean made = existing.isEmpty() && !Files.exists(root.resolve(name), LinkOption.NOFOLLOW_LINKS);
            if (existing.isEmpty()) {
                validateOptions(opts);
                mkdirs(name);
            }
            VolumeRecord fresh = new VolumeRecord(name, d, l, opts, Instant.now());
            VolumeStore.Acquired a;
            try {
                a = store.insertIfAbsent(fresh, containerId);
            } catch (RuntimeException e) {
                if (made) { // not recorded (a full disk): its directory goes too
                    try {
                        dev.berth.images.layer.LayerDirs.deleteRecursively(root.resolve(name));
                    } catch (IOException | RuntimeException cleanup) {
                        e.addSuppressed(cleanup);
                    }
                }
                throw e;
            }
            if (a.created()) {
                publish("create", name, Map.of("driver", d));
            }
            return a.volume();
        }
    }

    /** moby volume/local validateName. */
    public static void validateName(String name) {
        if (name.length() == 1) {
            throw BerthException.invalid("volume name is too short, names should be at least two alphanumeric characters");
        }
        if (!NAME.matcher(name).matches()) {
            throw BerthException.invalid("\"" + name + "\" includes invalid characters for a local volume name, only \""
                    + NAME_CHARS + "\" are allowed. If you intended to pass a host directory, use absolute path");
        }
    }

    /** moby volume/local validateOpts, plus what Berth cannot mount yet. */
    static void validateOptions(Map<String, String> opts) {
        for (String k : opts.keySet()) {
            if (!VALID_OPTS.contains(k)) {
                throw BerthException.invalid("invalid option: \"" + k + "\"");
            }
        }
        if (opts.containsKey("size")) {
            throw BerthException.invalid("quota size requested but no quota support");
        }
        Map<String, List<String>> mandatory = Map.of("device", List.of("type"), "type", List.of("device"),
                "o", List.of("device", "type"));
        for (var e : mandatory.entrySet()) {
            if (opts.containsKey(e.getKey())) {
                for (String required : e.getValue()) {
                    if (!opts.containsKey(required)) {
                        throw BerthException.invalid("missing required option: \"" + required + "\"");
                    }
                }
            }
        }
        String type = opts.getOrDefault("type", "");
        if (type.equals("nfs") || type.equals("nfs4") || type.equals("cifs")) {
            throw new BerthException(ErrorCategory.NOT_IMPLEMENTED,
                    "volume option type=" + type + " is not supported by Berth yet (tmpfs, bind and local block devices are)");
        }
    }

    private void mkdirs(String name) {
        try {
            Path dir = root.resolve(name);
            Files.createDirectories(dir);
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx-----x"));
            Path data = dir.resolve("_data");
            if (!Files.isDirectory(data, LinkOption.NOFOLLOW_LINKS)) {
                Files.createDirectory(data);
                Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
            }
        } catch (IOException e) {
            throw BerthException.system("error while creating volume path '" + root.resolve(name) + "': " + e.getMessage(), e);
        }
    }

    // ---- read ----

    public VolumeRecord require(String name) {
        return store.get(name).orElseThrow(() -> BerthException.notFound("get " + name + ": no such volume"));
    }

    public Map<String, Object> inspect(String name) {
        return toApi(require(name), null, false);
    }

    /** {@code GET /volumes}: filters dangling, name, label, driver, as moby's filtersToBy. */
    public Map<String, Object> list(Map<String, List<String>> filters) {
        for (String k : filters.keySet()) {
            if (!Set.of("dangling", "name", "label", "driver").contains(k)) {
                throw BerthException.invalid("invalid filter '" + k + "'");
            }
        }
        Map<String, List<String>> refs = store.refs();
        Predicate<VolumeRecord> by = matcher(filters, refs);
        List<Map<String, Object>> out = new ArrayList<>();
        for (VolumeRecord v : store.all()) {
            if (by.test(v)) {
                out.add(toApi(v, null, false));
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Volumes", out);
        m.put("Warnings", List.of());
        return m;
    }

    private static Predicate<VolumeRecord> matcher(Map<String, List<String>> filters, Map<String, List<String>> refs) {
        Predicate<VolumeRecord> by = v -> true;
        List<String> drivers = filters.getOrDefault("driver", List.of());
        if (!drivers.isEmpty()) {
            by = by.and(v -> drivers.contains(v.driver()));
        }
        List<String> names = filters.getOrDefault("name", List.of());
        if (!names.isEmpty()) {
            // moby filters.Match: an exact value, or a regular expression found in the name.
            by = by.and(v -> names.stream().anyMatch(n -> n.equals(v.name()) || find(n, v.name())));
        }
        List<String> labels = filters.getOrDefault("label", List.of());
        if (!labels.isEmpty()) {
            by = by.and(v -> labels.stream().allMatch(l -> hasLabel(v.labels(), l)));
        }
        List<String> notLabels = filters.getOrDefault("label!", List.of());
        if (!notLabels.isEmpty()) {
            by = by.and(v -> notLabels.stream().noneMatch(l -> hasLabel(v.labels(), l)));
        }
        List<String> dangling = filters.getOrDefault("dangling", List.of());
        if (!dangling.isEmpty()) {
            boolean want = switch (dangling.getFirst().toLowerCase()) {
                case "true", "1" -> true;
                case "false", "0" -> false;
                default -> throw BerthException.invalid("invalid filter 'dangling=" + dangling.getFirst() + "'");
            };
            by = by.and(v -> refs.containsKey(v.name()) != want);
        }
        return by;
    }

    private static boolean find(String regex, String s) {
        try {
            return Pattern.compile(regex).matcher(s).find();
        } catch (java.util.regex.PatternSyntaxException e) {
            return false;
        }
    }

    static boolean hasLabel(Map<String, String> labels, String filter) {
        int eq = filter.indexOf('=');
        if (eq < 0) {
            return labels.containsKey(filter);
        }
        return filter.substring(eq + 1).equals(labels.get(filter.substring(0, eq)));
    }

    /** Docker's volume JSON; {@code usage} adds UsageData (size, reference count) as /system/df does. */
    Map<String, Object> toApi(VolumeRecord v, List<String> users, boolean usage) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("CreatedAt", v.created().truncatedTo(ChronoUnit.SECONDS).atZone(ZoneId.systemDefault())
                .format(DateTimeFormatter.ISO_OFFSET_DATE_TIME));
        m.put("Driver", v.driver());
        m.put("Labels", v.labels());
        m.put("Mountpoint", dataPath(v.name()).toString());
        m.put("Name", v.name());
        m.put("Options", v.options().isEmpty() ? null : v.options());
        m.put("Scope", "local");
        if (usage) {
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("Size", v.options().isEmpty() ? size(dataPath(v.name())) : -1);
            u.put("RefCount", users == null ? 0 : users.size());
            m.put("UsageData", u);
        }
        return m;
    }

    /** The volumes part of {@code /system/df}. */
    public List<Map<String, Object>> diskUsage() {
        Map<String, List<String>> refs = store.refs();
        List<Map<String, Object>> out = new ArrayList<>();
        for (VolumeRecord v : store.all()) {
            out.add(toApi(v, refs.get(v.name()), true));
        }
        return out;
    }

    static long size(Path dir) {
        try {
            return LayerDirs.regularFilesSize(dir);
        } catch (IOException e) {
            return -1;
        }
    }

    // ---- remove ----

    /** {@code DELETE /volumes/{name}}; force only makes a missing volume no error, as Docker's. */
    public void remove(String name, boolean force) {
        synchronized (lock(name)) {
            if (store.get(name).isEmpty()) {
                if (force) {
                    return;
                }
                throw BerthException.notFound("get " + name + ": no such volume");
            }
            List<String> users = store.deleteUnlessReferenced(name);
            if (!users.isEmpty()) {
                throw BerthException.conflict("remove " + name + ": volume is in use - [" + String.join(", ", users) + "]");
            }
            deleteData(name);
            publish("destroy", name, Map.of("driver", LOCAL));
        }
    }

    private void deleteData(String name) {
        Path dir = root.resolve(name);
        try {
            unmountData(name);
            LayerDirs.deleteRecursively(dir);
        } catch (IOException e) {
            // The catalog row is gone; the start-up sweep retries the directory.
            LOG.log(Level.WARNING, "removing the data of volume " + name + " failed", e);
        }
    }

    /** {@code POST /volumes/prune}: unused local volumes without mount options; anonymous ones only unless all=true. */
    public Map<String, Object> prune(Map<String, List<String>> filters) {
        for (String k : filters.keySet()) {
            if (!Set.of("label", "label!", "all").contains(k)) {
                throw BerthException.invalid("invalid filter '" + k + "'");
            }
        }
        if (!pruning.compareAndSet(false, true)) {
            throw BerthException.conflict("a prune operation is already running");
        }
        try {
            Map<String, List<String>> f = new LinkedHashMap<>(filters);
            List<String> all = f.remove("all");
            boolean everything = false;
            if (all != null && all.size() > 1) {
                throw BerthException.invalid("invalid filter 'all=" + all + "': only one value is expected");
            }
            if (all != null && all.size() == 1) {
                everything = switch (all.getFirst().toLowerCase()) {
                    case "true", "1", "t" -> true;
                    case "false", "0", "f" -> false;
                    default -> throw BerthException.invalid("invalid filter 'all': strconv.ParseBool: parsing \""
                            + all.getFirst() + "\": invalid syntax");
                };
            }
            if (!everything) {
                List<String> labels = new ArrayList<>(f.getOrDefault("label", List.of()));
                labels.add(VolumeRecord.ANONYMOUS_LABEL);
                f.put("label", labels);
            }
            Map<String, List<String>> refs = store.refs();
            Predicate<VolumeRecord> by = matcher(f, refs);
            List<String> deleted = new ArrayList<>();
            long reclaimed = 0;
            for (VolumeRecord v : store.all()) {
                if (!v.options().isEmpty() || refs.containsKey(v.name()) || !by.test(v)) {
                    continue;
                }
                long size = size(dataPath(v.name()));
                try {
                    remove(v.name(), false);
                } catch (BerthException e) {
                    LOG.log(Level.FINE, "prune skipped volume " + v.name(), e);
                    continue;
                }
                deleted.add(v.name());
                reclaimed += Math.max(0, size);
            }
            publish("prune", "", Map.of("reclaimed", Long.toString(reclaimed)));
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("VolumesDeleted", deleted);
            m.put("SpaceReclaimed", reclaimed);
            return m;
        } finally {
            pruning.set(false);
        }
    }

    // ---- containers ----

    /** The container is gone: its references go; anonymous volumes among {@code removeAnonymous} are removed. */
    public void released(String containerId, List<String> removeAnonymous) {
        store.release(containerId);
        for (String name : removeAnonymous) {
            try {
                remove(name, true);
            } catch (BerthException e) {
                // Still used by another container (--volumes-from): not an error, as in Docker.
                LOG.log(Level.FINE, "anonymous volume " + name + " kept", e);
            }
        }
    }

    /** A container using the volume starts: mount its filesystem if it has one, and say so. */
    public void mounted(String name, String containerId, String destination, boolean rw) throws IOException {
        VolumeRecord v = require(name);
        synchronized (lock(name)) {
            if (needsMount(v) && !MountInfo.isMountPoint(dataPath(name))) {
                LocalMount.mount(v.options(), dataPath(name));
            }
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        attrs.put("container", containerId);
        attrs.put("destination", destination);
        attrs.put("driver", v.driver());
        attrs.put("propagation", "");
        attrs.put("read/write", Boolean.toString(rw));
        publish("mount", name, attrs);
    }

    /** A container using the volume stopped: unmount its filesystem when no other running container uses it. */
    public void unmounted(String name, String containerId, Predicate<String> running) {
        var v = store.get(name);
        if (v.isEmpty()) {
            return;
        }
        synchronized (lock(name)) {
            if (needsMount(v.get()) && store.refs(name).stream().noneMatch(id -> !id.equals(containerId) && running.test(id))) {
                try {
                    unmountData(name);
                } catch (IOException e) {
                    LOG.log(Level.WARNING, "unmounting volume " + name + " failed", e);
                }
            }
        }
        publish("unmount", name, Map.of("container", containerId, "driver", v.get().driver()));
    }

    static boolean needsMount(VolumeRecord v) {
        return v.options().containsKey("type") || v.options().containsKey("device");
    }

    private void unmountData(String name) throws IOException {
        Path data = dataPath(name);
        if (MountInfo.isMountPoint(data)) {
            try {
                dev.berth.engine.runtime.Mounts.umount(data, 0);
            } catch (dev.berth.engine.runtime.Mounts.MountException e) {
                dev.berth.engine.runtime.Mounts.umount(data, dev.berth.engine.runtime.Mounts.MNT_DETACH);
            }
        }
    }

    // ---- start-up ----

    /** After a crash: references of containers that no longer exist, and directories without a volume. */
    public void recover() {
        int stale = store.sweepStaleRefs();
        if (stale > 0) {
            LOG.info(() -> "dropped " + stale + " volume references of containers that no longer exist");
        }
        Set<String> known = store.all().stream().map(VolumeRecord::name).collect(Collectors.toSet());
        try (var dirs = Files.list(root)) {
            for (Path d : dirs.toList()) {
                String name = d.getFileName().toString();
                if (!known.contains(name) && Files.isDirectory(d, LinkOption.NOFOLLOW_LINKS)
                        && MountInfo.under(d).isEmpty()) {
                    LayerDirs.deleteRecursively(d);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void publish(String action, String name, Map<String, String> attributes) {
        long nanos = System.currentTimeMillis() * 1_000_000L + (System.nanoTime() % 1_000_000L + 1_000_000L) % 1_000_000L;
        events.publish(new EngineEvent("volume", action, new EngineEvent.Actor(name, attributes), "local",
                nanos / 1_000_000_000L, nanos, null, null, null));
    }
}
