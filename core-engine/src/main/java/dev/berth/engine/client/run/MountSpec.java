package dev.berth.engine.client.run;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.images.Json;

import java.util.Locale;

/**
 * docker's {@code --mount} (opts.MountOpt): comma-separated {@code key=value} fields, becoming one
 * {@code HostConfig.Mounts} entry ({@code Type}, {@code Source}, {@code Target}, {@code ReadOnly} and
 * the type's options).
 */
public final class MountSpec {
    private static final String FLAG = "--mount";

    private MountSpec() {
    }

    public static ObjectNode parse(String value) {
        ObjectNode m = Json.MAPPER.createObjectNode();
        String type = "volume";
        String source = null;
        String target = null;
        Boolean readOnly = null;
        ObjectNode bind = null;
        ObjectNode volume = null;
        ObjectNode tmpfs = null;
        for (String field : value.split(",")) {
            if (field.isEmpty()) {
                continue;
            }
            int eq = field.indexOf('=');
            String key = (eq < 0 ? field : field.substring(0, eq)).toLowerCase(Locale.ROOT);
            String v = eq < 0 ? null : field.substring(eq + 1);
            if (v == null && !key.equals("readonly") && !key.equals("ro") && !key.equals("volume-nocopy")
                    && !key.equals("bind-nonrecursive")) {
                throw ConfigException.flagValue(FLAG, value, "invalid field '" + field + "' must be a key=value pair");
            }
            switch (key) {
                case "type" -> type = v;
                case "source", "src" -> source = v;
                case "target", "dst", "destination" -> target = v;
                case "readonly", "ro" -> readOnly = v == null || bool(value, field, v);
                case "bind-propagation" -> (bind = bind == null ? Json.MAPPER.createObjectNode() : bind).put("Propagation", v);
                case "bind-nonrecursive" -> (bind = bind == null ? Json.MAPPER.createObjectNode() : bind)
                        .put("NonRecursive", v == null || bool(value, field, v));
                case "volume-nocopy" -> (volume = volume == null ? Json.MAPPER.createObjectNode() : volume)
                        .put("NoCopy", v == null || bool(value, field, v));
                case "volume-label" -> {
                    volume = volume == null ? Json.MAPPER.createObjectNode() : volume;
                    int e2 = v.indexOf('=');
                    volume.withObject("Labels").put(e2 < 0 ? v : v.substring(0, e2), e2 < 0 ? "" : v.substring(e2 + 1));
                }
                case "volume-driver" -> (volume = volume == null ? Json.MAPPER.createObjectNode() : volume)
                        .withObject("DriverConfig").put("Name", v);
                case "volume-opt" -> {
                    volume = volume == null ? Json.MAPPER.createObjectNode() : volume;
                    int e2 = v.indexOf('=');
                    volume.withObject("DriverConfig").withObject("Options")
                            .put(e2 < 0 ? v : v.substring(0, e2), e2 < 0 ? "" : v.substring(e2 + 1));
                }
                case "tmpfs-size" -> (tmpfs = tmpfs == null ? Json.MAPPER.createObjectNode() : tmpfs)
                        .put("SizeBytes", ContainerConfigBuilder.ramInBytes(FLAG, v));
                case "tmpfs-mode" -> {
                    tmpfs = tmpfs == null ? Json.MAPPER.createObjectNode() : tmpfs;
                    try {
                        tmpfs.put("Mode", Integer.parseInt(v, 8));
                    } catch (NumberFormatException e) {
                        throw ConfigException.flagValue(FLAG, value, "invalid value for " + key + ": " + v);
                    }
                }
                case "consistency" -> m.put("Consistency", v);
                default -> throw ConfigException.flagValue(FLAG, value, "unexpected key '" + key + "' in '" + field + "'");
            }
        }
        if (target == null || target.isEmpty()) {
            throw ConfigException.flagValue(FLAG, value, "target is required");
        }
        m.put("Type", type);
        if (source != null) {
            m.put("Source", source);
        }
        m.put("Target", target);
        if (readOnly != null) {
            m.put("ReadOnly", readOnly);
        }
        if (bind != null) {
            m.set("BindOptions", bind);
        }
        if (volume != null) {
            m.set("VolumeOptions", volume);
        }
        if (tmpfs != null) {
            m.set("TmpfsOptions", tmpfs);
        }
        return m;
    }

    private static boolean bool(String value, String field, String v) {
        return switch (v.toLowerCase(Locale.ROOT)) {
            case "1", "true" -> true;
            case "0", "false" -> false;
            default -> throw ConfigException.flagValue(FLAG, value, "invalid value for '" + field + "'");
        };
    }
}
