package dev.berth.engine.volumes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A create request's mounts, validated with Docker's rules and messages (moby volume/mounts
 * linux_parser and daemon registerMountPoints): {@code HostConfig.Binds} ({@code -v}), then
 * {@code HostConfig.Mounts} ({@code --mount}), then {@code HostConfig.Tmpfs} ({@code --tmpfs}), then
 * the anonymous volumes of {@code Config.Volumes} merged with the image's, skipped where something
 * is mounted already. Nothing is created here.
 */
public final class MountParser {
    private static final Set<String> RW_MODES = Set.of("rw", "ro");
    private static final Set<String> LABEL_MODES = Set.of("z", "Z");
    static final Set<String> PROPAGATIONS = Set.of("private", "rprivate", "slave", "rslave", "shared", "rshared");
    private static final Set<String> CONSISTENCY = Set.of("consistent", "cached", "delegated", "default");

    private MountParser() {
    }

    /** Mounts in order, and the {@code --tmpfs} mounts (destination → options). */
    public record Parsed(List<MountPoint> mounts, Map<String, String> tmpfs) {
        public boolean isEmpty() {
            return mounts.isEmpty() && tmpfs.isEmpty();
        }
    }

    public static Parsed parse(JsonNode config, JsonNode hostConfig, Map<String, Object> imageVolumes) {
        Map<String, MountPoint> byDest = new LinkedHashMap<>();
        Set<String> explicit = new LinkedHashSet<>();
        Map<String, String> tmpfs = new LinkedHashMap<>();
        JsonNode t = hostConfig.path("Tmpfs");
        if (t.isObject()) {
            for (var e : t.properties()) {
                String dest = e.getKey();
                validateTarget(dest, null);
                tmpfs.put(clean(dest), e.getValue().asText(""));
            }
        }
        for (JsonNode b : hostConfig.path("Binds")) {
            MountPoint m = parseBind(b.asText(""));
            if (explicit.contains(m.destination()) || tmpfs.containsKey(m.destination())) {
                throw duplicate(m.destination());
            }
            explicit.add(m.destination());
            byDest.put(m.destination(), m);
        }
        for (JsonNode spec : hostConfig.path("Mounts")) {
            MountPoint m = parseMount(spec);
            if (explicit.contains(m.destination())) {
                throw duplicate(spec.path("Target").asText());
            }
            explicit.add(m.destination());
            byDest.put(m.destination(), m);
        }
        Set<String> anonymous = new LinkedHashSet<>();
        if (imageVolumes != null) {
            anonymous.addAll(imageVolumes.keySet());
        }
        JsonNode cv = config.path("Volumes");
        if (cv.isObject()) {
            cv.properties().forEach(e -> anonymous.add(e.getKey()));
        }
        for (String v : anonymous) {
            String dest = clean(v);
            if (byDest.containsKey(dest) || tmpfs.containsKey(dest)) {
                continue;
            }
            validateTarget(dest, null);
            byDest.put(dest, volume("", dest, true, "", true, Map.of(), Map.of()));
        }
        return new Parsed(List.copyOf(byDest.values()), tmpfs);
    }

    private static BerthException duplicate(String dest) {
        return BerthException.invalid("Duplicate mount point: " + dest);
    }

    /** {@code -v}: {@code [source:]destination[:mode]}. */
    static MountPoint parseBind(String raw) {
        String[] arr = raw.split(":", 4);
        if (arr[0].isEmpty()) {
            throw invalidSpec(raw, null);
        }
        String source = "";
        String target;
        String mode = "";
        switch (arr.length) {
            case 1 -> target = arr[0];
            case 2 -> {
                if (validMode(arr[1])) {
                    throw invalidSpec(raw, null);
                }
                source = arr[0];
                target = arr[1];
            }
            case 3 -> {
                source = arr[0];
                target = arr[1];
                mode = arr[2];
            }
            default -> throw invalidSpec(raw, null);
        }
        if (!validMode(mode)) {
            throw BerthException.invalid("invalid mode: " + mode);
        }
        boolean bind = source.startsWith("/");
        String type = bind ? MountPoint.BIND : MountPoint.VOLUME;
        try {
            validateTarget(target, type);
            if (bind) {
                validateSource(source, type);
            }
        } catch (BerthException e) {
            throw invalidSpec(raw, e.getMessage());
        }
        boolean rw = !options(mode).contains("ro");
        String dest = clean(target);
        if (bind) {
            String prop = options(mode).stream().filter(PROPAGATIONS::contains).findFirst().orElse("rprivate");
            return new MountPoint(MountPoint.BIND, "", clean(source), dest, "", mode, rw, prop, false, false, null,
                    true, null, null);
        }
        boolean copy = !options(mode).contains("nocopy");
        String shownMode = mode.isEmpty() && !source.isEmpty() ? "z" : mode;
        return volume(source, dest, rw, shownMode, copy, Map.of(), Map.of());
    }

    private static MountPoint volume(String name, String dest, boolean rw, String mode, boolean copy,
                                     Map<String, String> labels, Map<String, String> opts) {
        return new MountPoint(MountPoint.VOLUME, name, null, dest, VolumeService.LOCAL, mode, rw, "", copy,
                name.isEmpty(), null, false, labels, opts);
    }

    /** {@code --mount}: HostConfig.Mounts entries (api/types/mount.Mount). */
    static MountPoint parseMount(JsonNode spec) {
        String type = spec.path("Type").asText("");
        String source = spec.path("Source").asText("");
        String target = spec.path("Target").asText("");
        boolean ro = spec.path("ReadOnly").asBoolean(false);
        for (var extra : List.of(List.of("BindOptions", MountPoint.BIND), List.of("VolumeOptions", MountPoint.VOLUME),
                List.of("TmpfsOptions", MountPoint.TMPFS), List.of("ImageOptions", "image"), List.of("ClusterOptions", "cluster"))) {
            JsonNode o = spec.get(extra.get(0));
            if (o != null && !o.isNull() && !type.equals(extra.get(1))) {
                throw mountConfig(type, "field " + extra.get(0) + " must not be specified");
            }
        }
        if (target.isEmpty()) {
            throw mountConfig(type, "field Target must not be empty");
        }
        try {
            validateTarget(target, type);
        } catch (BerthException e) {
            throw mountConfig(type, e.getMessage());
        }
        String dest = clean(target);
        switch (type) {
            case MountPoint.BIND -> {
                if (source.isEmpty()) {
                    throw mountConfig(type, "field Source must not be empty");
                }
                JsonNode bo = spec.path("BindOptions");
                String prop = bo.path("Propagation").asText("");
                if (!prop.isEmpty() && !PROPAGATIONS.contains(prop)) {
                    throw mountConfig(type, "invalid propagation mode: " + prop);
                }
                try {
                    validateSource(source, type);
                } catch (BerthException e) {
                    throw mountConfig(type, e.getMessage());
                }
                boolean create = bo.path("CreateMountpoint").asBoolean(false);
                if (!create && !Files.exists(Path.of(source))) {
                    throw mountConfig(type, "bind source path does not exist: " + source);
                }
                return new MountPoint(MountPoint.BIND, "", clean(source), dest, "", "", !ro,
                        prop.isEmpty() ? "rprivate" : prop, false, false, null, create, null, null);
            }
            case MountPoint.VOLUME -> {
                JsonNode vo = spec.path("VolumeOptions");
                if (!vo.path("Subpath").asText("").isEmpty()) {
                    throw mountConfig(type, "volume subpaths are not supported by Berth yet");
                }
                String driver = vo.path("DriverConfig").path("Name").asText("");
                if (!driver.isEmpty() && !driver.equals(VolumeService.LOCAL)) {
                    throw BerthException.notFound("error looking up volume plugin " + driver + ": plugin \"" + driver + "\" not found");
                }
                return volume(source, dest, !ro, source.isEmpty() ? "" : "z", !vo.path("NoCopy").asBoolean(false),
                        strings(vo.path("Labels")), strings(vo.path("DriverConfig").path("Options")));
            }
            case MountPoint.TMPFS -> {
                if (!source.isEmpty()) {
                    throw mountConfig(type, "field Source must not be specified");
                }
                return new MountPoint(MountPoint.TMPFS, "", "", dest, "", "", !ro, "", false, false,
                        tmpfsOptions(spec.path("TmpfsOptions"), ro), false, null, null);
            }
            default -> throw mountConfig(type, "mount type unknown");
        }
    }

    /** moby linuxParser.ConvertTmpfsOptions. */
    static String tmpfsOptions(JsonNode o, boolean ro) {
        List<String> raw = new ArrayList<>();
        if (ro) {
            raw.add("ro");
        }
        long mode = o.path("Mode").asLong(0);
        if (mode != 0) {
            raw.add("mode=" + Long.toOctalString(mode & 07777));
        }
        long size = o.path("SizeBytes").asLong(0);
        if (size != 0) {
            String suffix = "";
            for (var r : List.of(Map.entry("g", 1L << 30), Map.entry("m", 1L << 20), Map.entry("k", 1L << 10))) {
                if (size % r.getValue() == 0) {
                    size /= r.getValue();
                    suffix = r.getKey();
                    break;
                }
            }
            raw.add("size=" + size + suffix);
        }
        for (JsonNode opt : o.path("Options")) {
            String k = opt.path(0).asText("");
            if (!k.equals("exec") && !k.equals("noexec")) {
                throw mountConfig(MountPoint.TMPFS, "invalid option: " + k);
            }
            raw.add(opt.size() > 1 ? k + "=" + opt.path(1).asText() : k);
        }
        return String.join(",", raw);
    }

    private static Map<String, String> strings(JsonNode n) {
        Map<String, String> out = new LinkedHashMap<>();
        if (n.isObject()) {
            n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asText()));
        }
        return out;
    }

    private static void validateTarget(String target, String type) {
        String p = target.replace('\\', '/');
        if (p.isEmpty()) {
            throw BerthException.invalid("field Target must not be empty");
        }
        if (clean(p).equals("/")) {
            throw BerthException.invalid("invalid specification: destination can't be '/'");
        }
        if (!p.startsWith("/")) {
            throw BerthException.invalid("invalid mount path: '" + p + "' mount path must be absolute");
        }
    }

    private static void validateSource(String source, String type) {
        if (!source.replace('\\', '/').startsWith("/")) {
            throw BerthException.invalid("invalid mount path: '" + source + "' mount path must be absolute");
        }
    }

    private static BerthException invalidSpec(String raw, String cause) {
        return BerthException.invalid("invalid volume specification: '" + raw + "'" + (cause == null ? "" : ": " + cause));
    }

    private static BerthException mountConfig(String type, String cause) {
        return BerthException.invalid("invalid mount config for type \"" + type + "\": " + cause);
    }

    private static List<String> options(String mode) {
        return mode.isEmpty() ? List.of() : List.of(mode.split(","));
    }

    /** moby linuxValidMountMode: each kind at most once. */
    static boolean validMode(String mode) {
        if (mode.isEmpty()) {
            return true;
        }
        int rw = 0, label = 0, prop = 0, copy = 0, consistency = 0;
        for (String o : mode.split(",", -1)) {
            if (RW_MODES.contains(o)) {
                rw++;
            } else if (LABEL_MODES.contains(o)) {
                label++;
            } else if (PROPAGATIONS.contains(o)) {
                prop++;
            } else if (o.equals("nocopy")) {
                copy++;
            } else if (CONSISTENCY.contains(o)) {
                consistency++;
            } else {
                return false;
            }
        }
        return rw <= 1 && label <= 1 && prop <= 1 && copy <= 1 && consistency <= 1;
    }

    /** Go's path.Clean for absolute and relative slash paths. */
    static String clean(String p) {
        boolean abs = p.startsWith("/");
        List<String> out = new ArrayList<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!out.isEmpty() && !out.getLast().equals("..")) {
                    out.removeLast();
                } else if (!abs) {
                    out.add("..");
                }
                continue;
            }
            out.add(part);
        }
        String joined = String.join("/", out);
        if (abs) {
            return "/" + joined;
        }
        return joined.isEmpty() ? "." : joined;
    }

    static Collection<String> destinations(Parsed p) {
        List<String> d = new ArrayList<>(p.mounts().stream().map(MountPoint::destination).toList());
        d.addAll(p.tmpfs().keySet());
        return d;
    }
}
