package dev.berth.cli;

import dev.berth.engine.runtime.CgroupLayout;
import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker update} and {@code berth update} against a real engine: limits change in the running
 * container's cgroup and in inspect, survive a restart, the new restart policy acts, and bad values
 * get docker's errors from both CLIs and change nothing.
 */
class BerthUpdateCommandTest {
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path home;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), home.resolve(".docker"));
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    static CliRun.Result berth(String... args) {
        return new CliRun(null, home).env("DOCKER_HOST", engine.daemon().host()).run(args);
    }

    static String inspect(String format, String name) {
        return engine.docker("inspect", "-f", format, name).assertOk().stdout().strip();
    }

    /** memory limit, CFS quota and period, pids limit, CPU shares, as the container sees them. */
    static List<String> cgroup(String name) {
        boolean v2 = CgroupLayout.detect().mode() == CgroupLayout.Mode.V2;
        String cmd = v2
                ? "cat /sys/fs/cgroup/memory.max; tr ' ' '\\n' < /sys/fs/cgroup/cpu.max; cat /sys/fs/cgroup/pids.max /sys/fs/cgroup/cpu.weight"
                : "cat /sys/fs/cgroup/memory/memory.limit_in_bytes /sys/fs/cgroup/cpu/cpu.cfs_quota_us "
                + "/sys/fs/cgroup/cpu/cpu.cfs_period_us /sys/fs/cgroup/pids/pids.max /sys/fs/cgroup/cpu/cpu.shares";
        return engine.docker("exec", name, "sh", "-c", cmd).assertOk().stdout().strip().lines().toList();
    }

    @Test
    void limitsChangeLiveAndSurviveARestartAndThePolicyActs() throws Exception {
        String c = "upd-live";
        engine.docker("run", "-d", "--network", "none", "--name", c, "--memory", "64m", ref, "sleep", "300").assertOk();
        try {
            boolean v2 = CgroupLayout.detect().mode() == CgroupLayout.Mode.V2;
            String defaultShares = v2 ? "100" : "1024";
            assertEquals(List.of("67108864", v2 ? "max" : "-1", "100000", "max", defaultShares), cgroup(c));

            Processes.Result d = engine.docker("update", "--memory", "96m", "--memory-swap", "192m", "--cpus", "0.5",
                    "--pids-limit", "40", "--restart", "always", c);
            assertEquals(0, d.exitCode(), d.stderr());
            assertEquals(c + "\n", d.stdout());
            assertEquals(List.of("100663296", "50000", "100000", "40", defaultShares), cgroup(c));
            assertEquals("100663296 201326592 500000000 40 always",
                    inspect("{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} {{.HostConfig.NanoCpus}} "
                            + "{{.HostConfig.PidsLimit}} {{.HostConfig.RestartPolicy.Name}}", c));

            CliRun.Result b = berth("container", "update", "--cpu-shares", "512", c);
            assertEquals(0, b.status(), b.toString());
            assertEquals(c + "\n", b.out());
            // cgroup v2 maps shares to weight: 1 + ((shares - 2) * 9999) / 262142
            String shares = v2 ? Long.toString(1 + (510L * 9999) / 262142) : "512";
            List<String> updated = List.of("100663296", "50000", "100000", "40", shares);
            assertEquals(updated, cgroup(c));
            assertEquals("512", inspect("{{.HostConfig.CpuShares}}", c));

            engine.docker("restart", "-t", "1", c).assertOk();
            assertEquals(updated, cgroup(c));

            // The policy set by update brings the container back after its process is killed from outside.
            String pid = inspect("{{.State.Pid}}", c);
            Processes.run(Map.of(), null, 10, "kill", "-9", pid).assertOk();
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (!inspect("{{.RestartCount}} {{.State.Status}}", c).equals("1 running")) {
                assertTrue(System.nanoTime() < deadline, "not restarted: " + inspect("{{.RestartCount}} {{.State.Status}}", c));
                Thread.sleep(100);
            }
            assertEquals(updated, cgroup(c));

            // Unlimited swap lifts the old swap limit, so memory can go above it.
            engine.docker("update", "--memory", "256m", "--memory-swap", "-1", c).assertOk();
            assertEquals("268435456", cgroup(c).get(0));
            assertEquals("268435456 -1", inspect("{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}}", c));
        } finally {
            engine.docker("rm", "-f", c);
        }
    }

    @Test
    void badValuesGetDockersErrorsFromBothClisAndChangeNothing() {
        String c = "upd-bad";
        engine.docker("create", "--rm", "--network", "none", "--name", c, "--memory", "64m", ref, "sleep", "300").assertOk();
        try {
            String id = inspect("{{.Id}}", c);
            same("Error response from daemon: Minimum memory limit allowed is 6MB", "update", "--memory", "4m", c);
            same("Error response from daemon: Cannot update container " + id + ": Memory limit should be smaller than "
                    + "already set memoryswap limit, update the memoryswap at the same time", "update", "--memory", "256m", c);
            same("Error response from daemon: Cannot update container " + id + ": Restart policy cannot be updated "
                    + "because AutoRemove is enabled for the container", "update", "--restart", "always", c);
            same("Error response from daemon: No such container: upd-nope", "update", "--cpus", "1", "upd-nope");
            same("you must provide one or more flags when using this command", "update", c);
            assertEquals("67108864 134217728 0 no", inspect("{{.HostConfig.Memory}} {{.HostConfig.MemorySwap}} "
                    + "{{.HostConfig.NanoCpus}} {{.HostConfig.RestartPolicy.Name}}", c));

            // A container that is not running takes the update too, and then refuses a conflicting one.
            assertEquals(c + "\n", engine.docker("update", "--cpus", "0.5", c).assertOk().stdout());
            assertEquals("500000000", inspect("{{.HostConfig.NanoCpus}}", c));
            same("Error response from daemon: Cannot update container " + id + ": Conflicting options: CPU Period "
                    + "cannot be updated as NanoCPUs has already been set", "update", "--cpu-period", "50000", c);
            assertEquals("500000000 0", inspect("{{.HostConfig.NanoCpus}} {{.HostConfig.CpuPeriod}}", c));

            for (List<String> bad : List.of(List.of("--memory", "1x"), List.of("--memory-swap", "x1"), List.of("--cpus", "abc"),
                    List.of("--pids-limit", "many"))) {
                String[] args = {"update", bad.get(0), bad.get(1), c};
                CliRun.Result flag = berth(args);
                Processes.Result dockerFlag = engine.docker(args);
                assertEquals(125, flag.status(), flag.toString());
                assertEquals(dockerFlag.exitCode(), flag.status());
                assertEquals(dockerFlag.stderr().lines().findFirst().orElseThrow(), flag.err().lines().findFirst().orElseThrow());
            }
        } finally {
            engine.docker("rm", "-f", c);
        }
    }

    /** Both CLIs fail with status 1 and exactly this message. */
    static void same(String message, String... args) {
        Processes.Result d = engine.docker(args);
        CliRun.Result b = berth(args);
        assertEquals(1, d.exitCode(), d.stderr());
        assertEquals(message, d.stderr().strip());
        assertEquals(1, b.status(), b.toString());
        assertEquals(message, b.err().strip());
        assertEquals("", b.out());
    }
}
