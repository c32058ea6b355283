package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import dev.berth.images.manifest.ImageConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The isolation and resource parts of the spec, each against Docker's (moby's) values and messages. */
class SecuritySpecTest {
    static final CgroupLayout HYBRID = new CgroupLayout(CgroupLayout.Mode.HYBRID, Set.of("cpu", "cpuset", "memory", "pids", "devices"));
    final OciSpecBuilder builder = new OciSpecBuilder(OciSpecBuilderTest.host(HYBRID), "/berth");
    @TempDir
    Path tmp;

    static ImageConfig image() {
        return OciSpecBuilderTest.image(null, List.of("sh"), null, null, null);
    }

    JsonNode spec(CreateOptions opts) {
        return builder.build("0123456789abcdef", Path.of("/r"), image(), opts).spec();
    }

    JsonNode spec(HostSettings hs) {
        return spec(CreateOptions.defaults().withHost(hs));
    }

    static HostSettings host(String hostConfigJson) throws Exception {
        return HostSettings.from(Json.MAPPER.readTree(hostConfigJson), "none");
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    static String message400(org.junit.jupiter.api.function.Executable e) {
        BerthException ex = assertThrows(BerthException.class, e);
        assertEquals(ErrorCategory.INVALID_ARGUMENT, ex.category());
        return ex.getMessage();
    }

    // ---- capabilities ----

    @Test
    void capabilitiesFollowMobyTweakCapabilities() {
        Capabilities caps = new Capabilities(Capabilities.KNOWN);
        assertEquals(Capabilities.DEFAULT, caps.tweak(List.of(), List.of(), false));
        assertEquals(List.of("CAP_CHOWN"), caps.tweak(List.of("chown"), List.of("ALL"), false));
        List<String> noMknod = caps.tweak(List.of("CAP_SYS_ADMIN"), List.of("MKNOD"), false);
        assertFalse(noMknod.contains("CAP_MKNOD"));
        assertEquals("CAP_SYS_ADMIN", noMknod.getLast());
        assertEquals(13 + 1, noMknod.size());
        List<String> all = caps.tweak(List.of("all"), List.of("NET_RAW"), false);
        assertEquals(Capabilities.KNOWN.size() - 1, all.size());
        assertEquals(Capabilities.KNOWN, caps.tweak(List.of(), List.of(), true));
        assertEquals("invalid CapAdd: unknown capability: \"CAP_FOO\"", message400(() -> caps.tweak(List.of("foo"), List.of(), false)));
        assertEquals("invalid CapDrop: unknown capability: \"CAP_BAR\"", message400(() -> caps.tweak(List.of(), List.of("CAP_BAR"), false)));
    }

    @Test
    void allMeansWhatTheDaemonHolds() {
        // This test machine's daemon has every capability but CAP_SYS_RESOURCE (bit 24).
        Capabilities caps = new Capabilities(Capabilities.fromMask(0x1fffeffffffL));
        assertFalse(caps.all().contains("CAP_SYS_RESOURCE"));
        assertEquals(40, caps.all().size());
        assertTrue(message400(() -> caps.tweak(List.of("SYS_RESOURCE"), List.of(), false))
                .startsWith("invalid CapAdd: capability not supported by your kernel or not available in the current environment"));
        assertEquals(14, Capabilities.fromMask(0xa80425fbL).size());
        assertEquals(Set.copyOf(Capabilities.DEFAULT), Set.copyOf(Capabilities.fromMask(0xa80425fbL)));
    }

    // ---- privileged, read-only, devices ----

    @Test
    void privilegedGetsEverythingDockerGivesIt() throws Exception {
        // The host's real /dev: /dev/null is on every Linux host.
        OciSpecBuilder.Host h = OciSpecBuilderTest.host(HYBRID);
        OciSpecBuilder b = new OciSpecBuilder(new OciSpecBuilder.Host(h.cgroups(), h.capabilities(), h.rlimits(), h.resources(),
                h.seccomp(), h.maskedPaths(), h.sysctlExists(), Path.of("/dev")), "/berth");
        JsonNode s = b.build("x", Path.of("/r"), image(), CreateOptions.defaults().withHost(host("{\"Privileged\":true}"))).spec();
        assertEquals(Capabilities.KNOWN, strings(s.path("process").path("capabilities").path("bounding")));
        assertFalse(s.path("linux").has("seccomp"));
        assertFalse(s.path("linux").has("maskedPaths"));
        assertFalse(s.path("linux").has("readonlyPaths"));
        assertEquals("[{\"allow\":true,\"access\":\"rwm\"}]", s.path("linux").path("resources").path("devices").toString());
        boolean hasNull = false;
        for (JsonNode d : s.path("linux").path("devices")) {
            hasNull |= d.path("path").asText().equals("/dev/null") && d.path("major").asInt() == 1 && d.path("minor").asInt() == 3;
        }
        assertTrue(hasNull, "host devices listed: " + s.path("linux").path("devices"));
        for (JsonNode m : s.path("mounts")) {
            if (m.path("destination").asText().startsWith("/sys")) {
                assertFalse(strings(m.path("options")).contains("ro"), m.toString());
            }
        }
    }

    @Test
    void defaultDeviceRulesAreDockers() {
        JsonNode rules = spec(CreateOptions.defaults()).path("linux").path("resources").path("devices");
        assertEquals(8, rules.size());
        assertEquals("{\"allow\":false,\"access\":\"rwm\"}", rules.get(0).toString());
        List<String> got = new ArrayList<>();
        for (int i = 1; i < rules.size(); i++) {
            JsonNode r = rules.get(i);
            got.add((r.path("allow").asBoolean() ? "+" : "-") + r.path("type").asText() + " " + r.path("major").asInt() + ":" + r.path("minor").asInt());
        }
        assertEquals(List.of("+c 1:5", "+c 1:3", "+c 1:9", "+c 1:8", "+c 5:0", "+c 5:1", "-c 10:229"), got);
        assertEquals(0, spec(CreateOptions.defaults()).path("linux").path("devices").size());
    }

    @Test
    void readOnlyLeavesProcAndDevWritableAndShmHasItsSize() throws Exception {
        JsonNode s = spec(CreateOptions.defaults().withReadOnly(true).withHost(host("{\"ShmSize\":1048576}")));
        assertTrue(s.path("root").path("readonly").asBoolean());
        for (JsonNode m : s.path("mounts")) {
            String d = m.path("destination").asText();
            boolean ro = strings(m.path("options")).contains("ro");
            assertEquals(d.startsWith("/sys"), ro, d);
            if (d.equals("/dev/shm")) {
                assertTrue(strings(m.path("options")).contains("size=1048576"));
            }
        }
        JsonNode dflt = spec(CreateOptions.defaults());
        assertTrue(strings(dflt.path("mounts").get(6).path("options")).contains("size=67108864"));
    }

    @Test
    void systemPathsUnconfinedClearsMaskedAndReadonlyPaths() throws Exception {
        JsonNode s = spec(host("{\"MaskedPaths\":[],\"ReadonlyPaths\":[]}"));
        assertEquals(0, s.path("linux").path("maskedPaths").size());
        assertEquals(0, s.path("linux").path("readonlyPaths").size());
        assertEquals(OciSpecBuilder.MASKED_PATHS, strings(spec(CreateOptions.defaults()).path("linux").path("maskedPaths")));
    }

    // ---- seccomp ----

    @Test
    void defaultSeccompIsMobysProfileForThisArchAndCaps() {
        JsonNode sc = spec(CreateOptions.defaults()).path("linux").path("seccomp");
        assertEquals("SCMP_ACT_ERRNO", sc.path("defaultAction").asText());
        assertEquals(1, sc.path("defaultErrnoRet").asInt());
        assertEquals(List.of("SCMP_ARCH_X86_64", "SCMP_ARCH_X86", "SCMP_ARCH_X32"), strings(sc.path("architectures")));
        List<String> allowed = allowedNames(sc);
        assertTrue(allowed.containsAll(List.of("read", "write", "arch_prctl", "ptrace", "chroot")));
        // Without CAP_SYS_ADMIN, clone is allowed only by an argument rule that refuses namespace flags.
        assertFalse(allowed.contains("clone"));
        // CAP_SYS_ADMIN's syscalls are not allowed without it; clone3 answers ENOSYS so libc falls back.
        assertFalse(allowed.contains("mount") || allowed.contains("unshare") || allowed.contains("setns"));
        assertFalse(allowed.contains("s390_runtime_instr") || allowed.contains("reboot"));
        boolean clone3Enosys = false;
        for (JsonNode r : sc.path("syscalls")) {
            clone3Enosys |= strings(r.path("names")).equals(List.of("clone3")) && r.path("errnoRet").asInt() == 38;
            assertFalse(r.has("includes") || r.has("excludes") || r.has("comment"), r.toString());
        }
        assertTrue(clone3Enosys);

        JsonNode admin = spec(HostSettings.defaults()).path("linux").path("seccomp");
        assertFalse(allowedNames(admin).contains("mount"));
        // Cached per capability set, and each caller gets its own copy.
        SeccompProfile cached = new SeccompProfile("amd64", new int[] {6, 1});
        ObjectNode first = cached.defaultFor(Capabilities.DEFAULT);
        first.put("defaultAction", "changed");
        assertEquals("SCMP_ACT_ERRNO", cached.defaultFor(Capabilities.DEFAULT).path("defaultAction").asText());
        SeccompProfile p = new SeccompProfile("amd64", new int[] {6, 1});
        ObjectNode withAdmin = p.toOci(SeccompProfile.defaultProfile(), List.of("CAP_SYS_ADMIN", "CAP_SYS_BOOT"));
        assertTrue(allowedNames(withAdmin).containsAll(List.of("mount", "unshare", "setns", "reboot")));
        // On an old kernel the 4.8 rule for ptrace does not apply.
        assertFalse(allowedNames(new SeccompProfile("amd64", new int[] {4, 4}).toOci(SeccompProfile.defaultProfile(), List.of()))
                .contains("ptrace"));
    }

    static List<String> allowedNames(JsonNode seccomp) {
        List<String> out = new ArrayList<>();
        for (JsonNode r : seccomp.path("syscalls")) {
            if (r.path("action").asText().equals("SCMP_ACT_ALLOW") && !r.has("args")) {
                out.addAll(strings(r.path("names")));
            }
        }
        return out;
    }

    @Test
    void seccompOptions() throws Exception {
        assertFalse(spec(host("{\"SecurityOpt\":[\"seccomp=unconfined\"]}")).path("linux").has("seccomp"));
        String custom = "{\"defaultAction\":\"SCMP_ACT_ALLOW\",\"syscalls\":[{\"name\":\"mkdir\",\"action\":\"SCMP_ACT_ERRNO\"}]}";
        HostSettings hs = HostSettings.from(Json.MAPPER.createObjectNode().set("SecurityOpt",
                Json.MAPPER.createArrayNode().add("seccomp=" + custom)), "none");
        JsonNode sc = spec(hs).path("linux").path("seccomp");
        assertEquals("SCMP_ACT_ALLOW", sc.path("defaultAction").asText());
        assertEquals("[{\"names\":[\"mkdir\"],\"action\":\"SCMP_ACT_ERRNO\"}]", sc.path("syscalls").toString());
        assertTrue(spec(host("{\"SecurityOpt\":[\"no-new-privileges\"]}")).path("process").path("noNewPrivileges").asBoolean());
        assertTrue(spec(host("{\"SecurityOpt\":[\"no-new-privileges=true\"]}")).path("process").path("noNewPrivileges").asBoolean());
        assertFalse(spec(CreateOptions.defaults()).path("process").path("noNewPrivileges").asBoolean());
        assertEquals("invalid --security-opt 2: \"foo=bar\"", message400(() -> host("{\"SecurityOpt\":[\"foo=bar\"]}")));
        assertEquals("invalid --security-opt 1: \"foo\"", message400(() -> host("{\"SecurityOpt\":[\"foo\"]}")));
        assertTrue(message400(() -> spec(host("{\"SecurityOpt\":[\"seccomp={not json\"]}"))).startsWith("Decoding seccomp profile failed"));
    }

    // ---- users ----

    @Test
    void usersResolveLikeMobysGetExecUser() throws Exception {
        Path layer = tmp.resolve("l1");
        Files.createDirectories(layer.resolve("etc"));
        Files.writeString(layer.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\napp:x:1000:1000::/home/app:/bin/sh\n");
        Files.writeString(layer.resolve("etc/group"), "root:x:0:\nwheel:x:10:root\naudio:x:29:app\nstaff:x:50:\n");
        ImageFiles files = new ImageFiles(List.of(layer));
        assertEquals(new UserResolver.User(0, 0, List.of(0, 10)), UserResolver.resolve("", List.of(), files));
        assertEquals(new UserResolver.User(1000, 1000, List.of(1000, 29)), UserResolver.resolve("app", List.of(), files));
        assertEquals(new UserResolver.User(1000, 1000, List.of(1000, 29)), UserResolver.resolve("1000", List.of(), files));
        assertEquals(new UserResolver.User(1000, 50, List.of(50)), UserResolver.resolve("app:staff", List.of(), files));
        assertEquals(new UserResolver.User(5, 6, List.of(6)), UserResolver.resolve("5:6", List.of(), files));
        assertEquals(new UserResolver.User(1000, 1000, List.of(1000, 29, 50, 99)), UserResolver.resolve("app", List.of("staff", "99"), files));
        assertEquals("unable to find user bob: no matching entries in passwd file", message400(() -> UserResolver.resolve("bob", List.of(), files)));
        assertEquals("unable to find group nope: no matching entries in group file", message400(() -> UserResolver.resolve("app:nope", List.of(), files)));
        assertEquals("unable to find group nope: no matching entries in group file", message400(() -> UserResolver.resolve("app", List.of("nope"), files)));
        assertTrue(message400(() -> UserResolver.resolve("-1", List.of(), files)).startsWith("uids and gids must be in range"));
        // No passwd at all: numbers still work, names do not.
        assertEquals(new UserResolver.User(7, 0, List.of(0)), UserResolver.resolve("7", List.of(), ImageFiles.none()));
        message400(() -> UserResolver.resolve("app", List.of(), ImageFiles.none()));
    }

    @Test
    void imageFilesFollowOverlayRulesAndNeverLeaveTheRoot() throws Exception {
        Path lower = Files.createDirectories(tmp.resolve("lower/etc"));
        Path upper = Files.createDirectories(tmp.resolve("upper/etc"));
        Files.writeString(lower.resolve("passwd"), "lower\n");
        Files.writeString(lower.resolve("group"), "lowergroup\n");
        Files.writeString(upper.resolve("passwd"), "upper\n");
        List<Path> layers = List.of(tmp.resolve("upper"), tmp.resolve("lower"));
        ImageFiles files = new ImageFiles(layers);
        assertEquals("upper\n", files.readString("/etc/passwd").orElseThrow());
        assertEquals("lowergroup\n", files.readString("/etc/group").orElseThrow());

        // A symlink out of the root resolves inside it: /etc/shadow -> /../../../etc/hostname stays in the image.
        Files.createSymbolicLink(upper.resolve("shadow"), Path.of("/../../../../etc/hostname"));
        assertTrue(files.readString("/etc/shadow").isEmpty(), "must not read the host's /etc/hostname");
        Files.createSymbolicLink(upper.resolve("alias"), Path.of("../etc/./group"));
        assertEquals("lowergroup\n", files.readString("/etc/alias").orElseThrow());
        Files.createSymbolicLink(upper.resolve("abs"), Path.of("/etc/passwd"));
        assertEquals("upper\n", files.readString("/etc/abs").orElseThrow());
        Files.createSymbolicLink(upper.resolve("loop"), Path.of("loop"));
        assertTrue(files.readString("/etc/loop").isEmpty());
        assertTrue(files.readString("/etc").isEmpty(), "a directory is not a file");
        assertTrue(files.readString("/../../etc/passwd").map("upper\n"::equals).orElse(false));
    }

    // ---- resources ----

    @Test
    void resourcesAndDockersMessages() throws Exception {
        JsonNode res = spec(CreateOptions.defaults().withResources(64L << 20, 1.5, 0)
                .withHost(host("{\"MemorySwap\":-1,\"CpuShares\":512,\"CpusetCpus\":\"0-1\",\"MemoryReservation\":33554432}")))
                .path("linux").path("resources");
        assertFalse(res.path("memory").has("swap"), "-1 is unlimited swap: nothing set");
        assertEquals(32L << 20, res.path("memory").path("reservation").asLong());
        assertEquals(150_000, res.path("cpu").path("quota").asLong());
        assertEquals(512, res.path("cpu").path("shares").asLong());
        assertEquals("0-1", res.path("cpu").path("cpus").asText());

        assertEquals("Minimum memory limit allowed is 6MB", message400(() -> spec(CreateOptions.defaults().withResources(4L << 20, 0, 0))));
        assertEquals("Minimum memory limit allowed is 6MB", message400(() -> spec(CreateOptions.defaults().withResources(-1, 0, 0))));
        assertEquals("range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
                message400(() -> spec(CreateOptions.defaults().withResources(0, -1, 0))));
        assertEquals("range of CPUs is from 0.01 to 2.00, as there are only 2 CPUs available",
                message400(() -> spec(CreateOptions.defaults().withResources(0, 3, 0))));
        assertEquals("Invalid value 0-x for cpuset cpus: invalid format: 0-x", message400(() -> spec(host("{\"CpusetCpus\":\"0-x\"}"))));
        assertEquals("Requested CPUs are not available - requested 3, available: 0-1", message400(() -> spec(host("{\"CpusetCpus\":\"3\"}"))));
        assertEquals("You should always set the Memory limit when using Memoryswap limit, see usage",
                message400(() -> spec(host("{\"MemorySwap\":100000000}"))));
        assertEquals("invalid CPU shares (-2): value must be a positive integer", message400(() -> host("{\"CpuShares\":-2}")));
        assertEquals("Conflicting options: Nano CPUs and CPU Quota cannot both be set",
                message400(() -> spec(CreateOptions.defaults().withResources(0, 1, 0).withHost(host("{\"CpuQuota\":50000}")))));
    }

    @Test
    void noSwapAccountingIsAWarningAsOnDocker() {
        OciSpecBuilder.Host h = OciSpecBuilderTest.host(HYBRID);
        OciSpecBuilder b = new OciSpecBuilder(new OciSpecBuilder.Host(h.cgroups(), h.capabilities(), h.rlimits(),
                new ResourceLimits(HYBRID, false, "0-1", 2), h.seccomp(), h.maskedPaths(), h.sysctlExists(), h.devDir()), "/berth");
        var r = b.build("x", Path.of("/r"), image(), CreateOptions.defaults().withResources(64L << 20, 0, 0));
        assertFalse(r.spec().path("linux").path("resources").path("memory").has("swap"));
        assertEquals(List.of("Your kernel does not support swap limit capabilities or the cgroup is not mounted. Memory limited without swap."),
                r.warnings());
    }

    @Test
    void ulimitsAreClampedToTheDaemonsHardLimitWithAWarning() throws Exception {
        var r = builder.build("x", Path.of("/r"), image(), CreateOptions.defaults()
                .withHost(host("{\"Ulimits\":[{\"Name\":\"nofile\",\"Soft\":1024,\"Hard\":1048576},{\"Name\":\"core\",\"Soft\":0,\"Hard\":0}]}")));
        ArrayNode rl = (ArrayNode) r.spec().path("process").path("rlimits");
        assertEquals("[{\"type\":\"RLIMIT_NOFILE\",\"hard\":20000,\"soft\":1024},{\"type\":\"RLIMIT_CORE\",\"hard\":0,\"soft\":0}]", rl.toString());
        assertEquals(1, r.warnings().size());
        assertTrue(r.warnings().getFirst().contains("clamped to 1024:20000"), r.warnings().getFirst());
        assertEquals("invalid ulimit type: bogus", message400(() -> host("{\"Ulimits\":[{\"Name\":\"bogus\",\"Soft\":1,\"Hard\":1}]}")));
        assertEquals("ulimit soft limit must be less than or equal to hard limit: 5 > 1",
                message400(() -> host("{\"Ulimits\":[{\"Name\":\"nproc\",\"Soft\":5,\"Hard\":1}]}")));
    }

    // ---- sysctls and HostConfig rules ----

    @Test
    void sysctlsAreNamespacedOnlyAndDockersDefaultsComeFirst() throws Exception {
        JsonNode sc = spec(host("{\"Sysctls\":{\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"1000\"}}")).path("linux").path("sysctl");
        assertEquals("{\"net.ipv4.ping_group_range\":\"0 2147483647\",\"net.ipv4.ip_unprivileged_port_start\":\"0\","
                + "\"net.ipv4.ip_forward\":\"1\",\"kernel.shmmax\":\"1000\"}", sc.toString());
        assertEquals("sysctl \"kernel.panic\" is not in a separate kernel namespace",
                message400(() -> spec(host("{\"Sysctls\":{\"kernel.panic\":\"1\"}}"))));
        HostSettings hostNet = HostSettings.from(Json.MAPPER.readTree("{\"Sysctls\":{\"net.core.somaxconn\":\"1\"}}"), "host");
        assertEquals("sysctl \"net.core.somaxconn\" not allowed in host network namespace", message400(() -> spec(hostNet)));
        assertFalse(spec(HostSettings.from(Json.MAPPER.readTree("{}"), "host")).path("linux").has("sysctl"));
    }

    @Test
    void restartPolicyAndAutoRemoveAreChecked() {
        assertEquals("invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
                message400(() -> host("{\"RestartPolicy\":{\"Name\":\"sometimes\"}}")));
        assertEquals("invalid restart policy: maximum retry count can only be used with 'on-failure'",
                message400(() -> host("{\"RestartPolicy\":{\"Name\":\"always\",\"MaximumRetryCount\":3}}")));
        assertEquals("can't create 'AutoRemove' container with restart policy",
                message400(() -> host("{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"}}")));
    }

    @Test
    void inspectEchoGetsDockersAdaptedValues() throws Exception {
        ObjectNode hc = (ObjectNode) Json.MAPPER.readTree("{\"Memory\":67108864}");
        host("{}").echoInto(hc, 64L << 20);
        assertEquals(128L << 20, hc.path("MemorySwap").asLong());
        assertEquals(64L << 20, hc.path("ShmSize").asLong());
        assertTrue(hc.has("CapAdd") && hc.path("CapAdd").isNull());
        assertEquals(0, hc.path("NanoCpus").asLong());
        assertFalse(hc.path("Privileged").asBoolean(true));
        assertNull(hc.get("Bogus"));
        assertEquals(Map.of(), host("{}").sysctls());
    }
}
