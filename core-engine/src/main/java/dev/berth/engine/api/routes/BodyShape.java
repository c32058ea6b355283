package dev.berth.engine.api.routes;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;

import java.util.Iterator;
import java.util.Map;

/**
 * The JSON types of the create bodies' fields (containers, networks, volumes, exec), checked before
 * anything reads them. moby decodes each body into typed Go structs, so a string where a number belongs
 * is a 400 in encoding/json's words; reading the tree leniently instead would turn
 * {@code "Memory": "lots"} into no limit at all, or {@code "Name": ["x"]} into an anonymous volume.
 * Fields not listed here are left to the code that reads them.
 */
final class BodyShape {
    private enum Kind {
        STRING("string"), BOOL("bool"), INT("int64"), STRINGS("[]string"), STRSLICE("strslice.StrSlice"),
        STRING_MAP("map[string]string"), SET("map[string]struct {}"), OBJECT("struct"), LIST("[]struct");

        final String goType;

        Kind(String goType) {
            this.goType = goType;
        }
    }

    private static final String WRAPPER = "ContainerConfigWrapper";

    private static final Map<String, Kind> CONFIG = Map.ofEntries(
            Map.entry("Hostname", Kind.STRING), Map.entry("Domainname", Kind.STRING), Map.entry("User", Kind.STRING),
            Map.entry("Image", Kind.STRING), Map.entry("WorkingDir", Kind.STRING), Map.entry("StopSignal", Kind.STRING),
            Map.entry("AttachStdin", Kind.BOOL), Map.entry("AttachStdout", Kind.BOOL), Map.entry("AttachStderr", Kind.BOOL),
            Map.entry("Tty", Kind.BOOL), Map.entry("OpenStdin", Kind.BOOL), Map.entry("StdinOnce", Kind.BOOL),
            Map.entry("NetworkDisabled", Kind.BOOL), Map.entry("StopTimeout", Kind.INT), Map.entry("Env", Kind.STRINGS),
            Map.entry("Cmd", Kind.STRSLICE), Map.entry("Entrypoint", Kind.STRSLICE), Map.entry("Shell", Kind.STRSLICE),
            Map.entry("Labels", Kind.STRING_MAP), Map.entry("ExposedPorts", Kind.SET), Map.entry("Volumes", Kind.SET),
            Map.entry("Healthcheck", Kind.OBJECT), Map.entry("HostConfig", Kind.OBJECT),
            Map.entry("NetworkingConfig", Kind.OBJECT));

    private static final Map<String, Kind> HOST_CONFIG = Map.ofEntries(
            Map.entry("Memory", Kind.INT), Map.entry("MemoryReservation", Kind.INT), Map.entry("MemorySwap", Kind.INT),
            Map.entry("NanoCpus", Kind.INT), Map.entry("CpuShares", Kind.INT), Map.entry("CpuPeriod", Kind.INT),
            Map.entry("CpuQuota", Kind.INT), Map.entry("PidsLimit", Kind.INT), Map.entry("ShmSize", Kind.INT),
            Map.entry("OomScoreAdj", Kind.INT), Map.entry("Privileged", Kind.BOOL), Map.entry("ReadonlyRootfs", Kind.BOOL),
            Map.entry("AutoRemove", Kind.BOOL), Map.entry("PublishAllPorts", Kind.BOOL), Map.entry("Init", Kind.BOOL),
            Map.entry("OomKillDisable", Kind.BOOL), Map.entry("NetworkMode", Kind.STRING), Map.entry("IpcMode", Kind.STRING),
            Map.entry("PidMode", Kind.STRING), Map.entry("UTSMode", Kind.STRING), Map.entry("CpusetCpus", Kind.STRING),
            Map.entry("CpusetMems", Kind.STRING), Map.entry("Runtime", Kind.STRING), Map.entry("Binds", Kind.STRINGS),
            Map.entry("CapAdd", Kind.STRINGS), Map.entry("CapDrop", Kind.STRINGS), Map.entry("Dns", Kind.STRINGS),
            Map.entry("DnsOptions", Kind.STRINGS), Map.entry("DnsSearch", Kind.STRINGS), Map.entry("ExtraHosts", Kind.STRINGS),
            Map.entry("GroupAdd", Kind.STRINGS), Map.entry("SecurityOpt", Kind.STRINGS), Map.entry("VolumesFrom", Kind.STRINGS),
            Map.entry("Tmpfs", Kind.STRING_MAP), Map.entry("Sysctls", Kind.STRING_MAP), Map.entry("PortBindings", Kind.OBJECT),
            Map.entry("RestartPolicy", Kind.OBJECT), Map.entry("LogConfig", Kind.OBJECT), Map.entry("Mounts", Kind.LIST),
            Map.entry("Ulimits", Kind.LIST));

    private static final Map<String, Kind> NETWORK = Map.of("Name", Kind.STRING, "Driver", Kind.STRING,
            "Internal", Kind.BOOL, "Attachable", Kind.BOOL, "EnableIPv6", Kind.BOOL, "CheckDuplicate", Kind.BOOL,
            "Labels", Kind.STRING_MAP, "Options", Kind.STRING_MAP, "IPAM", Kind.OBJECT);
    private static final Map<String, Kind> VOLUME = Map.of("Name", Kind.STRING, "Driver", Kind.STRING,
            "DriverOpts", Kind.STRING_MAP, "Labels", Kind.STRING_MAP);
    private static final Map<String, Kind> EXEC = Map.of("Cmd", Kind.STRINGS, "Env", Kind.STRINGS, "User", Kind.STRING,
            "WorkingDir", Kind.STRING, "DetachKeys", Kind.STRING, "Tty", Kind.BOOL, "Privileged", Kind.BOOL,
            "AttachStdin", Kind.BOOL, "AttachStdout", Kind.BOOL, "AttachStderr", Kind.BOOL);

    private BodyShape() {
    }

    /** {@code POST /networks/create}: moby's NetworkCreateRequest. */
    static void checkNetworkCreate(JsonNode body) {
        checkTopLevel(body, NETWORK, "NetworkCreateRequest", "types.NetworkCreateRequest");
    }

    /** {@code POST /volumes/create}: moby's volume.CreateOptions. */
    static void checkVolumeCreate(JsonNode body) {
        checkTopLevel(body, VOLUME, "CreateOptions", "volume.CreateOptions");
    }

    /** {@code POST /containers/{id}/exec}: moby's ExecConfig; returns the body, checked. */
    static JsonNode execCreate(JsonNode body) {
        checkTopLevel(body, EXEC, "ExecConfig", "types.ExecConfig");
        return body;
    }

    private static void checkTopLevel(JsonNode body, Map<String, Kind> kinds, String struct, String goType) {
        if (body == null || body.isNull() || body.isMissingNode()) {
            return;
        }
        if (!body.isObject()) {
            throw mismatch(body, struct, goType);
        }
        checkFields(body, kinds, struct + ".");
    }

    /**
     * {@code POST /containers/create}: runconfig's ContainerConfigWrapper.
     *
     * @throws BerthException invalid, worded as encoding/json does, at the first field of the wrong type
     */
    static void checkContainerCreate(JsonNode body) {
        checkTopLevel(body, CONFIG, WRAPPER, "runconfig.ContainerConfigWrapper");
        JsonNode hc = body == null ? null : body.get("HostConfig");
        if (hc != null && hc.isObject()) {
            checkFields(hc, HOST_CONFIG, WRAPPER + ".HostConfig.");
            checkPortBindings(hc.get("PortBindings"));
            JsonNode rp = hc.get("RestartPolicy");
            if (rp != null && rp.isObject()) {
                checkFields(rp, Map.of("Name", Kind.STRING, "MaximumRetryCount", Kind.INT), WRAPPER + ".HostConfig.RestartPolicy.");
            }
        }
    }

    private static void checkFields(JsonNode object, Map<String, Kind> kinds, String prefix) {
        for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> f = it.next();
            Kind kind = kinds.get(f.getKey());
            if (kind != null && !fits(f.getValue(), kind)) {
                throw mismatch(f.getValue(), prefix + f.getKey(), kind.goType);
            }
        }
    }

    private static void checkPortBindings(JsonNode bindings) {
        if (bindings == null || !bindings.isObject()) {
            return;
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = bindings.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> port = it.next();
            JsonNode list = port.getValue();
            String field = WRAPPER + ".HostConfig.PortBindings";
            if (!list.isNull() && !list.isArray()) {
                throw mismatch(list, field, "[]nat.PortBinding");
            }
            for (JsonNode b : list.isArray() ? list : java.util.List.<JsonNode>of()) {
                if (!b.isObject()) {
                    throw mismatch(b, field, "nat.PortBinding");
                }
                checkFields(b, Map.of("HostIp", Kind.STRING, "HostPort", Kind.STRING), field + ".");
            }
        }
    }

    /** null fits every kind: Go leaves the zero value. */
    private static boolean fits(JsonNode v, Kind kind) {
        if (v.isNull()) {
            return true;
        }
        return switch (kind) {
            case STRING -> v.isTextual();
            case BOOL -> v.isBoolean();
            case INT -> v.isIntegralNumber() && v.canConvertToLong();
            case STRINGS -> v.isArray() && allText(v);
            case STRSLICE -> v.isTextual() || (v.isArray() && allText(v));
            case STRING_MAP -> v.isObject() && allText(v);
            case SET -> v.isObject() && allObjectsOrNull(v);
            case OBJECT -> v.isObject();
            case LIST -> v.isArray();
        };
    }

    private static boolean allText(JsonNode container) {
        for (JsonNode e : container) {
            if (!e.isTextual() && !e.isNull()) {
                return false;
            }
        }
        return true;
    }

    private static boolean allObjectsOrNull(JsonNode container) {
        for (JsonNode e : container) {
            if (!e.isObject() && !e.isNull()) {
                return false;
            }
        }
        return true;
    }

    /** encoding/json's UnmarshalTypeError: "json: cannot unmarshal string into Go struct field X.Y of type int64". */
    private static BerthException mismatch(JsonNode value, String field, String goType) {
        String what = switch (value.getNodeType()) {
            case STRING -> "string";
            case BOOLEAN -> "bool";
            case NUMBER -> "number" + (value.isIntegralNumber() ? "" : " " + value.asText());
            case ARRAY -> "array";
            case OBJECT -> "object";
            default -> value.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
        };
        return BerthException.invalid("json: cannot unmarshal " + what + " into Go struct field " + field + " of type " + goType);
    }
}
