package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Docker's seccomp profiles turned into the OCI {@code linux.seccomp} (moby/profiles seccomp_linux.go
 * setupSeccomp). The default profile is moby's {@code profiles/seccomp/default.json}, shipped as a
 * resource unchanged (Apache-2.0, The Moby Authors). A profile's {@code archMap} is reduced to this
 * host's architecture and its sub-architectures, and each rule's {@code includes}/{@code excludes} are
 * decided against the architecture, the container's bounding capabilities and the kernel version, so
 * that, as with Docker, a container given CAP_SYS_ADMIN may also call mount, unshare and clone with
 * namespace flags.
 */
public final class SeccompProfile {
    private static final String RESOURCE = "seccomp-default.json";
    /** JVM os.arch → Go's GOARCH → libseccomp's native name (moby goToNative), for the arches Berth runs on. */
    private static final Map<String, String> NATIVE = Map.of(
            "amd64", "amd64", "x86_64", "amd64", "aarch64", "arm64", "arm64", "arm64",
            "ppc64le", "ppc64le", "s390x", "s390x", "riscv64", "riscv64");
    private static final Map<String, String> NATIVE_TO_SECCOMP = Map.of(
            "amd64", "SCMP_ARCH_X86_64", "arm64", "SCMP_ARCH_AARCH64", "ppc64le", "SCMP_ARCH_PPC64LE",
            "s390x", "SCMP_ARCH_S390X", "riscv64", "SCMP_ARCH_RISCV64");

    private static volatile JsonNode defaultProfile;

    private final String arch;
    private final int[] kernel;
    /** The default profile's result by bounding set: almost every container has the same few sets. */
    private final java.util.Map<java.util.List<String>, ObjectNode> defaults = new java.util.concurrent.ConcurrentHashMap<>();

    /**
     * @param arch   libseccomp's native name for this host ("amd64", "arm64"...)
     * @param kernel the running kernel's version and major revision, e.g. {6, 1}
     */
    public SeccompProfile(String arch, int[] kernel) {
        this.arch = arch;
        this.kernel = kernel.clone();
    }

    public static SeccompProfile forHost() {
        String os = System.getProperty("os.arch", "amd64").toLowerCase(Locale.ROOT);
        return new SeccompProfile(NATIVE.getOrDefault(os, os), kernelVersion(System.getProperty("os.version", "0.0")));
    }

    static int[] kernelVersion(String release) {
        Matcher m = Pattern.compile("^(\\d+)\\.(\\d+)").matcher(release);
        return m.find() ? new int[] {Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))} : new int[] {0, 0};
    }

    /** moby's default.json, parsed once. */
    public static JsonNode defaultProfile() {
        JsonNode p = defaultProfile;
        if (p == null) {
            try (InputStream in = SeccompProfile.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is missing from the engine's resources");
                }
                p = Json.MAPPER.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            defaultProfile = p;
        }
        return p;
    }

    /** {@link #toOci} of the default profile, computed once per capability set; the caller gets its own copy. */
    public ObjectNode defaultFor(java.util.List<String> bounding) {
        if (defaults.size() > 64) {
            defaults.clear();
        }
        return defaults.computeIfAbsent(java.util.List.copyOf(bounding), b -> toOci(defaultProfile(), b)).deepCopy();
    }

    /** A profile given as {@code --security-opt seccomp=<json>} (the CLI sends the file's content). */
    public static JsonNode parse(String json) {
        try {
            JsonNode n = Json.MAPPER.readTree(json);
            if (n == null || !n.isObject()) {
                throw BerthException.invalid("Decoding seccomp profile failed: not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw BerthException.invalid("Decoding seccomp profile failed: " + e.getMessage());
        }
    }

    /**
     * @param bounding the container's bounding capabilities
     * @return the OCI seccomp object, or null when the profile disables seccomp (no default action, no rules)
     */
    public ObjectNode toOci(JsonNode profile, Collection<String> bounding) {
        String defaultAction = profile.path("defaultAction").asText("");
        JsonNode syscalls = profile.path("syscalls");
        if (defaultAction.isEmpty() && syscalls.isEmpty()) {
            return null;
        }
        if (!profile.path("architectures").isEmpty() && !profile.path("archMap").isEmpty()) {
            throw BerthException.invalid("both 'architectures' and 'archMap' are specified in the seccomp profile, use either 'architectures' or 'archMap'");
        }
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("defaultAction", defaultAction);
        if (profile.has("defaultErrnoRet")) {
            out.set("defaultErrnoRet", profile.get("defaultErrnoRet"));
        }
        ArrayNode arches = out.putArray("architectures");
        profile.path("architectures").forEach(arches::add);
        String seccompArch = NATIVE_TO_SECCOMP.get(arch);
        for (JsonNode a : profile.path("archMap")) {
            if (a.path("architecture").asText().equals(seccompArch)) {
                arches.add(seccompArch);
                a.path("subArchitectures").forEach(arches::add);
                break;
            }
        }
        for (String field : new String[] {"flags", "listenerPath", "listenerMetadata"}) {
            if (profile.has(field)) {
                out.set(field, profile.get(field));
            }
        }
        ArrayNode rules = out.putArray("syscalls");
        for (JsonNode call : syscalls) {
            if (!applies(call, bounding)) {
                continue;
            }
            ObjectNode rule = rules.addObject();
            ArrayNode names = rule.putArray("names");
            if (call.hasNonNull("name") && !call.path("name").asText().isEmpty()) {
                if (!call.path("names").isEmpty()) {
                    throw BerthException.invalid("both 'name' and 'names' are specified in the seccomp profile, use either 'name' or 'names'");
                }
                names.add(call.get("name").asText());
            } else {
                call.path("names").forEach(names::add);
            }
            rule.put("action", call.path("action").asText());
            for (String field : new String[] {"errnoRet", "args"}) {
                if (call.hasNonNull(field)) {
                    rule.set(field, call.get(field));
                }
            }
        }
        return out;
    }

    private boolean applies(JsonNode call, Collection<String> bounding) {
        JsonNode ex = call.path("excludes");
        if (ex.isObject()) {
            if (contains(ex.path("arches"), arch)) {
                return false;
            }
            for (JsonNode c : ex.path("caps")) {
                if (bounding.contains(c.asText())) {
                    return false;
                }
            }
            if (ex.hasNonNull("minKernel") && !ex.path("minKernel").asText().isEmpty() && kernelAtLeast(ex.path("minKernel").asText())) {
                return false;
            }
        }
        JsonNode in = call.path("includes");
        if (in.isObject()) {
            if (!in.path("arches").isEmpty() && !contains(in.path("arches"), arch)) {
                return false;
            }
            for (JsonNode c : in.path("caps")) {
                if (!bounding.contains(c.asText())) {
                    return false;
                }
            }
            if (in.hasNonNull("minKernel") && !in.path("minKernel").asText().isEmpty() && !kernelAtLeast(in.path("minKernel").asText())) {
                return false;
            }
        }
        return true;
    }

    private static boolean contains(JsonNode array, String value) {
        for (JsonNode n : array) {
            if (n.asText().equals(value)) {
                return true;
            }
        }
        return false;
    }

    boolean kernelAtLeast(String version) {
        String[] parts = version.split("\\.", 3);
        if (parts.length != 2) {
            throw BerthException.invalid("invalid kernel version: \"" + version + "\", expected \"<kernel>.<major>\"");
        }
        int k;
        int m;
        try {
            k = Integer.parseInt(parts[0]);
            m = Integer.parseInt(parts[1]);
        } catch (NumberFormatException e) {
            throw BerthException.invalid("invalid kernel version: \"" + version + "\", expected \"<kernel>.<major>\"");
        }
        return kernel[0] > k || (kernel[0] == k && kernel[1] >= m);
    }
}
