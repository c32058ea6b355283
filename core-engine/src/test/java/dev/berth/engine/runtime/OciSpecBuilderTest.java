package dev.berth.engine.runtime;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;
import dev.berth.images.manifest.ImageConfig;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The generated config.json, field by field, against Docker's defaults and rules. */
class OciSpecBuilderTest {
    static final CgroupLayout HYBRID = new CgroupLayout(CgroupLayout.Mode.HYBRID, Set.of("cpu", "memory", "pids", "devices"));
    static final CgroupLayout BARE = new CgroupLayout(CgroupLayout.Mode.V1, Set.of("devices"));
    static final OciSpecBuilder.Rlimit NOFILE = new OciSpecBuilder.Rlimit("RLIMIT_NOFILE", 20000, 20000);
    final OciSpecBuilder builder = new OciSpecBuilder(host(HYBRID), "/berth");

    /** Fixed host facts, so the spec does not depend on the machine the test runs on. */
    static OciSpecBuilder.Host host(CgroupLayout cgroups) {
        return new OciSpecBuilder.Host(cgroups, new Capabilities(Capabilities.KNOWN),
                new Rlimits(Map.of("nofile", new Rlimits.Limit(20000, 20000))), new ResourceLimits(cgroups, true, "0-1", 2),
                new SeccompProfile("amd64", new int[] {6, 1}), OciSpecBuilder.MASKED_PATHS, name -> true, Path.of("/nonexistent"));
    }

    static ImageConfig image(List<String> entrypoint, List<String> cmd, List<String> env, String wd, String user) {
        return new ImageConfig(null, null, "amd64", "linux", null, null,
                new ImageConfig.ContainerConfig(user, null, env, entrypoint, cmd, null, wd, null, null, null, null, null, null),
                new ImageConfig.RootFs("layers", List.of()), null);
    }

    JsonNode spec(ImageConfig img, CreateOptions opts) throws Exception {
        // Through bytes, as runc reads it.
        byte[] json = Json.MAPPER.writeValueAsBytes(builder.build("0123456789abcdef", Path.of("/r/merged"), img, opts).spec());
        return Json.MAPPER.readTree(json);
    }

    static List<String> strings(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    JsonNode args(List<String> imgEp, List<String> imgCmd, CreateOptions opts) throws Exception {
        return spec(image(imgEp, imgCmd, null, null, null), opts).path("process").path("args");
    }

    @Test
    void entrypointAndCmdFollowDockersMerge() throws Exception {
        CreateOptions none = CreateOptions.defaults();
        assertEquals(List.of("/ep", "a", "img"), strings(args(List.of("/ep", "a"), List.of("img"), none)));
        assertEquals(List.of("/ep", "a", "mine"), strings(args(List.of("/ep", "a"), List.of("img"), none.withCmd("mine"))));
        // An entrypoint from the options drops the image's Cmd.
        assertEquals(List.of("/other"), strings(args(List.of("/ep"), List.of("img"), none.withEntrypoint("/other"))));
        assertEquals(List.of("/other", "x"), strings(args(List.of("/ep"), List.of("img"), none.withEntrypoint("/other").withCmd("x"))));
        // --entrypoint "" clears the image's entrypoint but keeps its Cmd.
        assertEquals(List.of("img"), strings(args(List.of("/ep"), List.of("img"), none.withEntrypoint(""))));
        BerthException e = assertThrows(BerthException.class, () -> args(null, null, none));
        assertEquals(ErrorCategory.INVALID_ARGUMENT, e.category());
    }

    @Test
    void envPutsDefaultsFirstAndLetsOptionsOverrideTheImage() throws Exception {
        JsonNode s = spec(image(null, List.of("sh"), List.of("PATH=/bin", "A=image", "B=image"), null, null),
                CreateOptions.defaults().withEnv("A=mine", "C=mine").withTty(true).withHostname("box"));
        assertEquals(List.of("PATH=/bin", "HOSTNAME=box", "TERM=xterm", "A=mine", "B=image", "C=mine"),
                strings(s.path("process").path("env")));
        assertEquals("box", s.path("hostname").asText());
        assertTrue(s.path("process").path("terminal").asBoolean());

        JsonNode d = spec(image(null, List.of("sh"), null, null, null), CreateOptions.defaults());
        assertEquals(List.of("PATH=" + OciSpecBuilder.DEFAULT_PATH, "HOSTNAME=0123456789ab"), strings(d.path("process").path("env")));
    }

    @Test
    void userAndWorkingDir() throws Exception {
        JsonNode s = spec(image(null, List.of("sh"), null, "/srv", "1000:50"), CreateOptions.defaults());
        assertEquals(1000, s.path("process").path("user").path("uid").asInt());
        assertEquals(50, s.path("process").path("user").path("gid").asInt());
        assertEquals("/srv", s.path("process").path("cwd").asText());
        JsonNode o = spec(image(null, List.of("sh"), null, "/srv", "1000:50"), CreateOptions.defaults().withUser("7").withWorkingDir("/w"));
        assertEquals(7, o.path("process").path("user").path("uid").asInt());
        assertEquals(0, o.path("process").path("user").path("gid").asInt());
        assertEquals("/w", o.path("process").path("cwd").asText());
        assertEquals("/", spec(image(null, List.of("sh"), null, null, null), CreateOptions.defaults()).path("process").path("cwd").asText());
        assertThrows(BerthException.class, () -> spec(image(null, List.of("sh"), null, null, null), CreateOptions.defaults().withUser("nobody")));
        assertThrows(BerthException.class, () -> spec(image(null, List.of("sh"), null, null, null), CreateOptions.defaults().withWorkingDir("rel")));
    }

    @Test
    void dockersSecurityDefaults() throws Exception {
        JsonNode s = spec(image(null, List.of("sh"), null, null, null), CreateOptions.defaults());
        JsonNode caps = s.path("process").path("capabilities");
        for (String set : List.of("bounding", "effective", "permitted")) {
            assertEquals(OciSpecBuilder.DEFAULT_CAPABILITIES, strings(caps.path(set)), set);
        }
        assertEquals(14, OciSpecBuilder.DEFAULT_CAPABILITIES.size());
        assertFalse(caps.has("inheritable"));
        assertFalse(caps.has("ambient"));
        assertFalse(s.path("process").has("oomScoreAdj"));
        assertTrue(strings(s.path("linux").path("maskedPaths")).containsAll(List.of("/proc/kcore", "/proc/keys", "/sys/firmware")));
        assertEquals(List.of("/proc/bus", "/proc/fs", "/proc/irq", "/proc/sys", "/proc/sysrq-trigger"),
                strings(s.path("linux").path("readonlyPaths")));
        List<String> dests = new ArrayList<>();
        s.path("mounts").forEach(m -> dests.add(m.path("destination").asText()));
        assertEquals(List.of("/proc", "/dev", "/dev/pts", "/sys", "/sys/fs/cgroup", "/dev/mqueue", "/dev/shm"), dests);
        assertTrue(strings(s.path("mounts").get(3).path("options")).contains("ro"), "sysfs read-only");
        assertTrue(strings(s.path("mounts").get(4).path("options")).contains("ro"), "cgroup read-only");
        JsonNode dev = s.path("linux").path("resources").path("devices").get(0);
        assertFalse(dev.path("allow").asBoolean());
        assertEquals("rwm", dev.path("access").asText());
        assertEquals("/r/merged", s.path("root").path("path").asText());
        assertFalse(s.path("root").path("readonly").asBoolean());
        assertTrue(spec(image(null, List.of("sh"), null, null, null), CreateOptions.defaults().withReadOnly(true))
                .path("root").path("readonly").asBoolean());
    }

    @Test
    void namespacesAndCgroupsPath() throws Exception {
        JsonNode s = spec(image(null, List.of("sh"), null, null, null), CreateOptions.defaults());
        assertEquals("/berth/0123456789abcdef", s.path("linux").path("cgroupsPath").asText());
        List<String> types = new ArrayList<>();
        s.path("linux").path("namespaces").forEach(n -> types.add(n.path("type").asText()));
        assertEquals(List.of("pid", "ipc", "uts", "mount", "network"), types);
        assertFalse(s.path("linux").path("namespaces").get(4).has("path"));

        JsonNode n = spec(image(null, List.of("sh"), null, null, null), CreateOptions.defaults().withNetns("/run/netns/x"));
        assertEquals("/run/netns/x", n.path("linux").path("namespaces").get(4).path("path").asText());

        var v2 = new OciSpecBuilder(host(new CgroupLayout(CgroupLayout.Mode.V2, Set.of("memory"))), "/berth");
        JsonNode c = Json.MAPPER.valueToTree(v2.build("x", Path.of("/r"), image(null, List.of("sh"), null, null, null), CreateOptions.defaults()).spec());
        assertEquals("cgroup", c.path("linux").path("namespaces").get(5).path("type").asText());
    }

    @Test
    void rlimitIsTheDaemonsOwnAndUnlimitedIsUint64Max() throws Exception {
        JsonNode r = spec(image(null, List.of("sh"), null, null, null), CreateOptions.defaults()).path("process").path("rlimits");
        assertEquals(1, r.size());
        assertEquals("RLIMIT_NOFILE", r.get(0).path("type").asText());
        assertEquals(20000, r.get(0).path("soft").asLong());
        assertEquals(20000, r.get(0).path("hard").asLong());

        var unlimited = new OciSpecBuilder(HYBRID, new OciSpecBuilder.Rlimit("RLIMIT_NOFILE", 1024, -1), "/berth");
        String json = Json.MAPPER.writeValueAsString(unlimited.build("x", Path.of("/r"), image(null, List.of("sh"), null, null, null), CreateOptions.defaults()).spec());
        assertTrue(json.contains("\"hard\":18446744073709551615"), json);

        var host = OciSpecBuilder.currentRlimit("Max open files", "RLIMIT_NOFILE");
        assertTrue(host.soft() > 0 && (host.hard() == -1 || host.hard() >= host.soft()));
    }

    @Test
    void resourcesOnlyWhereTheHostHasTheController() throws Exception {
        CreateOptions limited = CreateOptions.defaults().withResources(64L << 20, 0.5, 100).withLabels(Map.of("a", "b"));
        var result = builder.build("x", Path.of("/r"), image(null, List.of("sh"), null, null, null), limited);
        JsonNode res = Json.MAPPER.valueToTree(result.spec()).path("linux").path("resources");
        assertEquals(64L << 20, res.path("memory").path("limit").asLong());
        assertEquals(50_000, res.path("cpu").path("quota").asLong());
        assertEquals(100_000, res.path("cpu").path("period").asLong());
        assertEquals(100, res.path("pids").path("limit").asLong());
        assertEquals(List.of(), result.warnings());
        assertEquals("b", result.spec().path("annotations").path("a").asText());

        assertEquals(128L << 20, res.path("memory").path("swap").asLong(), "Docker's default swap is twice the memory");

        OciSpecBuilder bareBuilder = new OciSpecBuilder(host(BARE), "/berth");
        var bare = bareBuilder.build("x", Path.of("/r"), image(null, List.of("sh"), null, null, null),
                CreateOptions.defaults().withResources(64L << 20, 0, 100));
        JsonNode none = Json.MAPPER.valueToTree(bare.spec()).path("linux").path("resources");
        assertFalse(none.has("memory") || none.has("cpu") || none.has("pids"));
        assertEquals(2, bare.warnings().size());
        // Docker refuses --cpus outright where there is no CFS scheduler.
        assertThrows(BerthException.class, () -> bareBuilder.build("x", Path.of("/r"), image(null, List.of("sh"), null, null, null), limited));

        assertThrows(BerthException.class, () -> spec(image(null, List.of("sh"), null, null, null),
                CreateOptions.defaults().withResources(1024, 0, 0)));
    }

    @Test
    void detectsHybridCgroupsFromMountInfo() {
        List<String> mi = List.of(
                "31 23 0:28 / /sys/fs/cgroup rw,relatime - tmpfs tmpfs rw,mode=755",
                "32 31 0:29 / /sys/fs/cgroup/cpu,cpuacct rw,relatime - cgroup cgroup rw,cpu,cpuacct",
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "40 31 0:37 / /sys/fs/cgroup/systemd rw,relatime - cgroup cgroup rw,xattr,name=systemd",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
        CgroupLayout l = CgroupLayout.fromMountInfo(mi, Path.of("/nonexistent"));
        assertEquals(CgroupLayout.Mode.HYBRID, l.mode());
        assertEquals(Set.of("cpu", "cpuacct", "memory"), l.controllers());
        assertEquals(Set.of(), l.v2Controllers());
    }

    @Test
    void aHybridLayoutKnowsTheControllersItsV2TreeHolds(@org.junit.jupiter.api.io.TempDir Path root) throws Exception {
        java.nio.file.Files.createDirectories(root.resolve("sys/fs/cgroup/unified"));
        java.nio.file.Files.writeString(root.resolve("sys/fs/cgroup/unified/cgroup.controllers"), "hugetlb\n");
        List<String> mi = List.of(
                "35 31 0:32 / /sys/fs/cgroup/memory rw,relatime - cgroup cgroup rw,memory",
                "41 31 0:38 / /sys/fs/cgroup/unified rw,relatime - cgroup2 cgroup2 rw");
        CgroupLayout l = CgroupLayout.fromMountInfo(mi, root);
        assertEquals(CgroupLayout.Mode.HYBRID, l.mode());
        assertEquals(Set.of("memory"), l.controllers(), "limits go through v1 only");
        assertEquals(Set.of("hugetlb"), l.v2Controllers());
    }
}
