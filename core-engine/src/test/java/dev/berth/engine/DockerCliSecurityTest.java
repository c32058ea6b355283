package dev.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.runtime.CgroupLayout;
import dev.berth.engine.runtime.Rlimits;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import dev.berth.images.Json;
import dev.berth.images.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The real docker CLI against Berth for isolation and resources: capabilities, --privileged,
 * --read-only, seccomp, users and groups from the image, cgroup limits read back inside the
 * container, ulimits, and Docker's 400s for bad values. The image is busybox plus an /etc/passwd
 * and /etc/group, so names resolve the way they do in real images.
 */
class DockerCliSecurityTest {
    static final String BRIDGE = "bs0";
    static BusyboxOnBerth engine;
    static String img;
    @TempDir
    static Path config;
    @TempDir
    static Path work;

    static final String PASSWD = """
            root:x:0:0:root:/root:/bin/sh
            daemon:x:1:1:daemon:/usr/sbin:/bin/false
            app:x:1000:1000::/home/app:/bin/sh
            nobody:x:65534:65534:nobody:/nonexistent:/bin/false
            """;
    static final String GROUP = """
            root:x:0:
            wheel:x:10:root
            audio:x:29:app
            staff:x:50:
            app:x:1000:
            nogroup:x:65534:
            """;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        // Bridge device and subnet assigned to this scope; the default network checks sysctls in a CNI namespace.
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge(BRIDGE, "10.66.0.0/24"), config);
        TestImages.TarBuilder bin = new TestImages.TarBuilder().dir("bin")
                .file("bin/busybox", 0755, Files.readAllBytes(TestImages.BUSYBOX));
        for (String applet : List.of("sh", "id", "chown", "touch", "mount", "unshare", "cat", "mkdir", "grep", "stat", "true", "pwd", "cut", "ls")) {
            bin.symlink("bin/" + applet, "busybox");
        }
        byte[] etc = new TestImages.TarBuilder().dir("etc")
                .file("etc/passwd", 0644, PASSWD.getBytes(StandardCharsets.UTF_8))
                .file("etc/group", 0644, GROUP.getBytes(StandardCharsets.UTF_8))
                .build();
        img = engine.pushAndPull(TestImages.fromLayers(List.of(bin.build(), etc)), "security/users:1.0");
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (engine != null) {
                engine.close();
            }
        } finally {
            if (Files.exists(Path.of("/sys/class/net", BRIDGE))) {
                Processes.run(java.util.Map.of(), null, 10, "ip", "link", "del", BRIDGE);
            }
        }
    }

    @Test
    void bridgeNetworkGetsDockersDefaultSysctlsAndMine() {
        Processes.Result r = engine.docker("run", "--rm", "--sysctl", "net.ipv4.tcp_syncookies=0", img, "cat",
                "/proc/sys/net/ipv4/ip_unprivileged_port_start", "/proc/sys/net/ipv4/ping_group_range",
                "/proc/sys/net/ipv4/tcp_syncookies");
        assertEquals(0, r.exitCode(), r.stderr());
        assertEquals(List.of("0", "0\t2147483647", "0"), r.stdout().strip().lines().toList());
    }

    /** {@code docker run --rm --network none <flags> img <cmd>}. */
    static Processes.Result run(List<String> flags, String... cmd) {
        List<String> args = new ArrayList<>(List.of("run", "--rm", "--network", "none"));
        args.addAll(flags);
        args.add(img);
        args.addAll(List.of(cmd));
        return engine.docker(args.toArray(String[]::new));
    }

    static String out(List<String> flags, String... cmd) {
        Processes.Result r = run(flags, cmd);
        assertEquals(0, r.exitCode(), () -> "exit " + r.exitCode() + ": " + r.stderr());
        return r.stdout().strip();
    }

    @Test
    void capDropAllCannotChownButTheDefaultSetCan() {
        assertEquals("ok", out(List.of(), "sh", "-c", "touch /f && chown 1000 /f && echo ok"));
        Processes.Result r = run(List.of("--cap-drop", "ALL"), "sh", "-c", "touch /f && chown 1000 /f");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("Operation not permitted"), r.stderr());
        // Dropping one capability by its short name, adding one back with the prefix.
        assertEquals("ok", out(List.of("--cap-drop", "ALL", "--cap-add", "CAP_CHOWN"), "sh", "-c", "touch /f && chown 1000 /f && echo ok"));
        assertEquals("00000000a80425fb", out(List.of(), "sh", "-c", "grep CapEff /proc/self/status | cut -f2").replaceAll("[^0-9a-f]", ""));
    }

    @Test
    void oomScoreAdjSwappinessAndOomKillDisableReachTheContainerAndGpusAreRefusedNotIgnored() {
        assertEquals("500", out(List.of("--oom-score-adj", "500"), "cat", "/proc/self/oom_score_adj"));
        Processes.Result wide = run(List.of("--oom-score-adj", "1001"), "true");
        assertEquals(125, wide.exitCode(), wide.stderr());
        assertTrue(wide.stderr().contains("Invalid value 1001, range for oom score adj is [-1000, 1000]"), wide.stderr());
        assertEquals("10", out(List.of("--memory-swappiness", "10"), "cat", "/sys/fs/cgroup/memory/memory.swappiness"));
        assertTrue(out(List.of("--oom-kill-disable", "-m", "32m"), "cat", "/sys/fs/cgroup/memory/memory.oom_control")
                .contains("oom_kill_disable 1"));
        Processes.Result gpus = run(List.of("--gpus", "all"), "true");
        assertEquals(125, gpus.exitCode(), gpus.stderr());
        assertTrue(gpus.stderr().contains("HostConfig.DeviceRequests is not supported"), gpus.stderr());
    }

    @Test
    void pidIpcAndUtsHostShareTheHostsNamespaces() throws Exception {
        String hostPid = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/pid")).toString();
        String hostIpc = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/ipc")).toString();
        String hostUts = java.nio.file.Files.readSymbolicLink(java.nio.file.Path.of("/proc/self/ns/uts")).toString();
        String hostName = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/sys/kernel/hostname")).strip();
        String links = "for n in pid ipc uts; do readlink /proc/self/ns/$n; done";
        assertEquals(hostPid + "\n" + hostIpc + "\n" + hostUts,
                out(List.of("--pid", "host", "--ipc", "host", "--uts", "host"), "sh", "-c", links));
        String own = out(List.of(), "sh", "-c", links);
        for (String ns : new String[] {hostPid, hostIpc, hostUts}) {
            assertTrue(!own.contains(ns), "by default each namespace is the container's own: " + own);
        }
        assertEquals(hostName + " " + hostName, out(List.of("--uts", "host"), "sh", "-c", "echo $(hostname) $(cat /etc/hostname)"));
        assertEquals("1", out(List.of(), "sh", "-c", "echo $$"));
        assertEquals("example.com", out(List.of("--domainname", "example.com"), "cat", "/proc/sys/kernel/domainname"));

        Processes.Result conflict = run(List.of("--uts", "host", "--hostname", "x"), "true");
        assertEquals(125, conflict.exitCode(), conflict.stderr());
        assertTrue(conflict.stderr().contains("conflicting options: hostname and the UTS mode"), conflict.stderr());
        Processes.Result badIpc = run(List.of("--ipc", "bogus"), "true");
        assertEquals(125, badIpc.exitCode(), badIpc.stderr());
        assertTrue(badIpc.stderr().contains("invalid IPC mode: bogus"), badIpc.stderr());
        assertEquals("", out(List.of("--ipc", "none"), "sh", "-c", "grep ' /dev/shm ' /proc/mounts || true"), "--ipc none: no /dev/shm");
    }

    @Test
    void unknownCapabilityIsDockers400() {
        Processes.Result r = run(List.of("--cap-add", "FOO"), "true");
        assertEquals(125, r.exitCode(), r.stderr());
        assertTrue(r.stderr().contains("invalid CapAdd: unknown capability: \"CAP_FOO\""), r.stderr());
    }

    @Test
    void privilegedCanMountAndTheDefaultCannot() {
        String mount = "mkdir -p /m && mount -t tmpfs none /m && echo mounted";
        assertEquals("mounted", out(List.of("--privileged"), "sh", "-c", mount));
        Processes.Result denied = run(List.of(), "sh", "-c", mount);
        assertNotEquals(0, denied.exitCode());
        // No seccomp filter and no masked /proc/kcore for a privileged container.
        assertEquals("0", out(List.of("--privileged"), "sh", "-c", "grep Seccomp: /proc/self/status | cut -f2"));
        // The host's devices: /dev/kmsg is on every Linux host, never in a default container.
        assertEquals("yes", out(List.of("--privileged"), "sh", "-c", "test -c /dev/kmsg && echo yes"));
        assertEquals("no", out(List.of(), "sh", "-c", "test -c /dev/kmsg && echo yes || echo no"));
    }

    @Test
    void devicesAndDeviceCgroupRules() {
        assertEquals("ok", out(List.of("--device", "/dev/null:/dev/mynull"), "sh", "-c", "test -c /dev/mynull && echo x > /dev/mynull && echo ok"));
        // An unbound loop device opens fine, but only when the device cgroup allows block 7:*.
        String openLoop = "mknod /l b 7 0 && cat /l && echo opened";
        Processes.Result denied = run(List.of(), "sh", "-c", openLoop);
        assertNotEquals(0, denied.exitCode());
        assertTrue(denied.stderr().contains("Operation not permitted"), denied.stderr());
        assertEquals("opened", out(List.of("--device-cgroup-rule", "b 7:* rwm"), "sh", "-c", openLoop));
    }

    @Test
    void readOnlyRootfsKeepsDevWritable() {
        Processes.Result r = run(List.of("--read-only"), "touch", "/x");
        assertNotEquals(0, r.exitCode());
        assertTrue(r.stderr().contains("Read-only file system"), r.stderr());
        assertEquals("ok", out(List.of("--read-only"), "sh", "-c", "touch /dev/shm/a /dev/b && echo ok"));
    }

    @Test
    void defaultSeccompBlocksUnshareAndUnconfinedDoesNot() throws Exception {
        assertEquals("2", out(List.of(), "sh", "-c", "grep Seccomp: /proc/self/status | cut -f2"));
        Processes.Result blocked = run(List.of(), "unshare", "-U", "true");
        assertNotEquals(0, blocked.exitCode());
        assertTrue(blocked.stderr().contains("Operation not permitted"), blocked.stderr());
        run(List.of("--security-opt", "seccomp=unconfined"), "unshare", "-U", "true").assertOk();

        // A profile file: the CLI sends its content; this one refuses mkdir with EPERM.
        Path profile = work.resolve("no-mkdir.json");
        Files.writeString(profile, """
                {"defaultAction":"SCMP_ACT_ALLOW","syscalls":[{"names":["mkdir","mkdirat"],"action":"SCMP_ACT_ERRNO"}]}
                """);
        Processes.Result mkdir = run(List.of("--security-opt", "seccomp=" + profile), "mkdir", "/d");
        assertNotEquals(0, mkdir.exitCode());
        assertTrue(mkdir.stderr().contains("Operation not permitted"), mkdir.stderr());

        assertEquals("1", out(List.of("--security-opt", "no-new-privileges"), "sh", "-c", "grep NoNewPrivs: /proc/self/status | cut -f2"));
        assertEquals("0", out(List.of(), "sh", "-c", "grep NoNewPrivs: /proc/self/status | cut -f2"));
    }

    @Test
    void usersAndGroupsComeFromTheImage() {
        assertEquals("uid=0(root) gid=0(root) groups=0(root),10(wheel)", out(List.of(), "id"));
        assertEquals("uid=65534(nobody) gid=65534(nogroup) groups=65534(nogroup)", out(List.of("-u", "nobody"), "id"));
        // The kernel sorts the group list, so id shows it in numeric order, as on Docker.
        assertEquals("uid=1000(app) gid=1000(app) groups=29(audio),1000(app)", out(List.of("-u", "app"), "id"));
        assertEquals("uid=1000(app) gid=50(staff) groups=50(staff)", out(List.of("-u", "1000:50"), "id"));
        assertEquals("uid=1000(app) gid=50(staff) groups=50(staff)", out(List.of("-u", "app:staff"), "id"));
        assertEquals("uid=4242 gid=0(root) groups=0(root)", out(List.of("-u", "4242"), "id"));
        assertEquals("uid=1000(app) gid=1000(app) groups=29(audio),50(staff),777,1000(app)",
                out(List.of("-u", "app", "--group-add", "staff", "--group-add", "777"), "id"));

        Processes.Result unknown = run(List.of("-u", "nosuch"), "id");
        assertEquals(125, unknown.exitCode(), unknown.stderr());
        assertTrue(unknown.stderr().contains("unable to find user nosuch: no matching entries in passwd file"), unknown.stderr());
    }

    @Test
    void missingWorkingDirIsCreatedOwnedByRoot() {
        assertEquals("/new/dir 0:0 755", out(List.of("-u", "app", "-w", "/new/dir"), "sh", "-c", "echo $(pwd) $(stat -c '%u:%g %a' /new/dir)"));
    }

    @Test
    void cgroupLimitsAreAppliedOnThisHostsLayout() {
        List<String> flags = List.of("--memory", "64m", "--cpus", "0.5", "--pids-limit", "50", "--cpu-shares", "512", "--cpuset-cpus", "0");
        CgroupLayout layout = CgroupLayout.detect();
        if (layout.mode() == CgroupLayout.Mode.V2) {
            String got = out(flags, "sh", "-c", "cat /sys/fs/cgroup/memory.max /sys/fs/cgroup/cpu.max /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpuset.cpus");
            assertEquals(List.of("67108864", "50000 100000", "50", "0"), got.lines().toList());
        } else {
            String got = out(flags, "sh", "-c", "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us "
                    + "/sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares "
                    + "/sys/fs/cgroup/cpuset/cpuset.cpus");
            assertEquals(List.of("67108864", "50000", "100000", "50", "512", "0"), got.lines().toList());
            if (Files.exists(Path.of("/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"))) {
                assertEquals("134217728", out(List.of("--memory", "64m"), "cat", "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
                assertEquals("100663296", out(List.of("--memory", "64m", "--memory-swap", "96m"), "cat", "/sys/fs/cgroup/memory/memory.memsw.limit_in_bytes"));
            }
        }
    }

    @Test
    void ulimitsAreSetAndClampedToTheDaemonsHardLimit() {
        assertEquals(List.of("1024", "2048"), out(List.of("--ulimit", "nofile=1024:2048"), "sh", "-c", "ulimit -n; ulimit -Hn").lines().toList());
        Rlimits.Limit daemon = Rlimits.ofThisProcess().current("nofile");
        if (daemon != null && daemon.hard() != -1) {
            long above = daemon.hard() + 1000;
            Processes.Result r = run(List.of("--ulimit", "nofile=" + above + ":" + above), "sh", "-c", "ulimit -n; ulimit -Hn");
            assertEquals(0, r.exitCode(), r.stderr());
            assertEquals(List.of(Long.toString(daemon.hard()), Long.toString(daemon.hard())), r.stdout().strip().lines().toList());
            assertTrue(r.stderr().contains("clamped"), r.stderr());
        }
    }

    @Test
    void badValuesAreDockers400s() {
        expect400(List.of("--memory", "4m"), "Minimum memory limit allowed is 6MB");
        int cpus = Runtime.getRuntime().availableProcessors();
        expect400(List.of("--cpus", Integer.toString(cpus + 1)), "range of CPUs is from 0.01 to " + cpus + ".00, as there are only " + cpus + " CPUs available");
        expect400(List.of("--cpuset-cpus", "1-a"), "Invalid value 1-a for cpuset cpus: invalid format: 1-a");
        expect400(List.of("--cpuset-cpus", "4096"), "Requested CPUs are not available - requested 4096, available: ");
        expect400(List.of("--memory", "64m", "--memory-swap", "32m"), "Minimum memoryswap limit should be larger than memory limit, see usage");
        expect400(List.of("--security-opt", "bogus=1"), "invalid --security-opt 2: \"bogus=1\"");
        expect400(List.of("--cpus", "-1"), "range of CPUs is from 0.01 to " + cpus + ".00");
        expect400(List.of("--restart", "always:3"), "invalid restart policy: maximum retry count can only be used with 'on-failure'");
        String ps = engine.docker("ps", "-a", "--format", "{{.Image}}").assertOk().stdout();
        assertTrue(ps.lines().noneMatch(img::equals), "nothing was created: " + ps);
    }

    static void expect400(List<String> flags, String message) {
        // No --rm: it would conflict with --restart before the daemon is asked.
        Processes.Result r = engine.docker(concat(List.of("run", "--network", "none"), flags, List.of(img, "true")));
        assertEquals(125, r.exitCode(), flags + ": " + r.stderr());
        assertTrue(r.stderr().contains(message), flags + ": " + r.stderr());
    }

    static String[] concat(List<String> a, List<String> b, List<String> c) {
        List<String> all = new ArrayList<>(a);
        all.addAll(b);
        all.addAll(c);
        return all.toArray(String[]::new);
    }

    @Test
    void inspectEchoesTheHostConfig() throws Exception {
        engine.docker("create", "--name", "security-inspect", "--network", "none", "--memory", "64m", "--cpus", "0.5",
                "--pids-limit", "50", "--cap-add", "NET_ADMIN", "--cap-drop", "MKNOD", "--read-only",
                "--ulimit", "nofile=1024:2048", "--security-opt", "no-new-privileges", img, "true").assertOk();
        try {
            JsonNode hc = Json.MAPPER.readTree(engine.docker("inspect", "-f", "{{json .HostConfig}}", "security-inspect").assertOk().stdout());
            assertEquals(64L << 20, hc.path("Memory").asLong());
            assertEquals(128L << 20, hc.path("MemorySwap").asLong());
            assertEquals(500_000_000L, hc.path("NanoCpus").asLong());
            assertEquals(50, hc.path("PidsLimit").asLong());
            // The CLI sends the names with the CAP_ prefix; Docker stores them as sent.
            assertEquals("[\"CAP_NET_ADMIN\"]", hc.path("CapAdd").toString());
            assertEquals("[\"CAP_MKNOD\"]", hc.path("CapDrop").toString());
            assertTrue(hc.path("ReadonlyRootfs").asBoolean());
            assertEquals(false, hc.path("Privileged").asBoolean(true));
            assertEquals("[{\"Name\":\"nofile\",\"Hard\":2048,\"Soft\":1024}]", hc.path("Ulimits").toString());
            assertEquals("[\"no-new-privileges\"]", hc.path("SecurityOpt").toString());
            assertEquals(64L << 20, hc.path("ShmSize").asLong());
        } finally {
            engine.docker("rm", "-f", "security-inspect");
        }
    }
}
