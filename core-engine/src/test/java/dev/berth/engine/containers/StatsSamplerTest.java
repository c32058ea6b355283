package dev.berth.engine.containers;

import dev.berth.engine.runtime.CgroupLayout;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Stats from fake cgroup v1 (as on a hybrid host) and v2 trees and a fake /proc. */
class StatsSamplerTest {
    @TempDir
    Path dir;

    private static void write(Path p, String content) throws IOException {
        Files.createDirectories(p.getParent());
        Files.writeString(p, content);
    }

    private Path proc(String cgroupFile, long cpuTicks) throws IOException {
        Path proc = dir.resolve("proc");
        write(proc.resolve("42/cgroup"), cgroupFile);
        write(proc.resolve("stat"), "cpu  " + cpuTicks + " 0 0 0 0 0 0 0 0 0\ncpu0 1 0 0 0 0 0 0\ncpu1 1 0 0 0 0 0 0\nintr 1\n");
        write(proc.resolve("meminfo"), "MemTotal:        1000000 kB\nMemFree: 1 kB\n");
        write(proc.resolve("42/net/dev"), """
                Inter-|   Receive                                                |  Transmit
                 face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs drop fifo colls carrier compressed
                    lo:     100       1    0    0    0     0          0         0      100       1    0    0    0     0       0          0
                  eth0:    2048      10    1    2    0     0          0         0     4096      20    3    4    0     0       0          0
                """);
        return proc;
    }

    @Test
    void cgroupV1OnAHybridHost() throws IOException {
        Path cg = dir.resolve("cgroup");
        Path proc = proc("""
                9:name=systemd:/
                8:pids:/berth/c1
                7:blkio:/berth/c1
                4:memory:/berth/c1
                2:cpuacct:/berth/c1
                1:cpu:/berth/c1
                0::/
                """, 1000);
        write(cg.resolve("cpuacct/berth/c1/cpuacct.usage"), "500000000\n");
        write(cg.resolve("cpuacct/berth/c1/cpuacct.stat"), "user 30\nsystem 20\n");
        write(cg.resolve("cpuacct/berth/c1/cpuacct.usage_percpu"), "300000000 200000000 \n");
        write(cg.resolve("cpu/berth/c1/cpu.stat"), "nr_periods 5\nnr_throttled 2\nthrottled_time 700\n");
        write(cg.resolve("memory/berth/c1/memory.usage_in_bytes"), "10485760\n");
        write(cg.resolve("memory/berth/c1/memory.max_usage_in_bytes"), "20000000\n");
        write(cg.resolve("memory/berth/c1/memory.limit_in_bytes"), "9223372036854771712\n");
        write(cg.resolve("memory/berth/c1/memory.failcnt"), "0\n");
        write(cg.resolve("memory/berth/c1/memory.stat"), "cache 4096\nrss 8192\ntotal_inactive_file 1048576\n");
        write(cg.resolve("pids/berth/c1/pids.current"), "3\n");
        write(cg.resolve("pids/berth/c1/pids.max"), "max\n");
        write(cg.resolve("blkio/berth/c1/blkio.throttle.io_service_bytes"), "8:0 Read 4096\n8:0 Write 8192\n8:0 Total 12288\nTotal 12288\n");

        StatsSampler s = new StatsSampler(CgroupLayout.Mode.HYBRID, cg, proc);
        StatsSampler.Sample pre = s.sample(42);
        assertEquals(500_000_000L, pre.cpuTotal());
        assertEquals(300_000_000L, pre.cpuUser(), "30 ticks of 10 ms");
        assertEquals(List.of(300_000_000L, 200_000_000L), pre.perCpu());
        assertEquals(1000L * 10_000_000L, pre.systemCpu());
        assertEquals(2, pre.onlineCpus());
        assertEquals(1_024_000_000L, pre.memLimit(), "an unlimited cgroup reports the host's memory");
        assertEquals(10485760L - 1048576L, StatsSampler.memoryUsage(pre), "inactive file cache is not counted");
        assertEquals(3, pre.pidsCurrent());
        assertEquals(0, pre.pidsLimit());
        assertEquals(List.of("eth0"), List.copyOf(pre.networks().keySet()), "loopback is left out");
        assertEquals(3, pre.ioBytes().size());

        // a second of 2 CPUs (200 ticks) during which the container used 0.5 s of CPU: 50 %
        write(cg.resolve("cpuacct/berth/c1/cpuacct.usage"), "1000000000\n");
        write(proc.resolve("stat"), "cpu  1200 0 0 0 0 0 0 0 0 0\ncpu0 1 0 0 0 0 0 0\ncpu1 1 0 0 0 0 0 0\n");
        StatsSampler.Sample cur = s.sample(42);
        assertEquals(50.0, StatsSampler.cpuPercent(cur, pre), 0.001);

        Map<String, Object> json = StatsSampler.toJson("c1", "web", cur, pre);
        assertEquals("/web", json.get("name"));
        @SuppressWarnings("unchecked")
        Map<String, Object> cpuStats = (Map<String, Object>) json.get("cpu_stats");
        @SuppressWarnings("unchecked")
        Map<String, Object> preCpu = (Map<String, Object>) json.get("precpu_stats");
        assertEquals(1_000_000_000L, ((Map<?, ?>) cpuStats.get("cpu_usage")).get("total_usage"));
        assertEquals(500_000_000L, ((Map<?, ?>) preCpu.get("cpu_usage")).get("total_usage"));
        assertEquals(2, cpuStats.get("online_cpus"));
        @SuppressWarnings("unchecked")
        Map<String, Object> mem = (Map<String, Object>) json.get("memory_stats");
        assertEquals(1_024_000_000L, mem.get("limit"));
        assertEquals(1048576L, ((Map<?, ?>) mem.get("stats")).get("total_inactive_file"));
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> nets = (Map<String, Map<String, Object>>) json.get("networks");
        assertEquals(2048L, nets.get("eth0").get("rx_bytes"));
        assertEquals(4096L, nets.get("eth0").get("tx_bytes"));
        assertEquals(4L, nets.get("eth0").get("tx_dropped"));
    }

    @Test
    void cgroupV2() throws IOException {
        Path cg = dir.resolve("cgroup2");
        Path proc = proc("0::/berth/c2\n", 500);
        write(cg.resolve("berth/c2/cpu.stat"), "usage_usec 2500\nuser_usec 2000\nsystem_usec 500\nnr_periods 0\n");
        write(cg.resolve("berth/c2/memory.current"), "5000000\n");
        write(cg.resolve("berth/c2/memory.max"), "16777216\n");
        write(cg.resolve("berth/c2/memory.stat"), "anon 100\nfile 200\ninactive_file 1000000\n");
        write(cg.resolve("berth/c2/memory.events"), "low 0\nhigh 0\nmax 7\noom 1\n");
        write(cg.resolve("berth/c2/pids.current"), "2\n");
        write(cg.resolve("berth/c2/pids.max"), "100\n");
        write(cg.resolve("berth/c2/io.stat"), "8:0 rbytes=4096 wbytes=512 rios=1 wios=2 dbytes=0 dios=0\n");
        StatsSampler.Sample s = new StatsSampler(CgroupLayout.Mode.V2, cg, proc).sample(42);
        assertEquals(2_500_000L, s.cpuTotal());
        assertEquals(16777216L, s.memLimit());
        assertEquals(4_000_000L, StatsSampler.memoryUsage(s));
        assertEquals(7, s.memFailcnt());
        assertEquals(100, s.pidsLimit());
        assertEquals(List.of(new StatsSampler.BlkioEntry(8, 0, "read", 4096), new StatsSampler.BlkioEntry(8, 0, "write", 512)),
                s.ioBytes());
    }

    @Test
    void aStoppedContainerGivesZeroStats() {
        Map<String, Object> json = StatsSampler.toJson("c3", "gone", null, null);
        assertEquals(ContainerService.ZERO_TIME, json.get("read"));
        assertFalse(json.containsKey("networks"));
        assertTrue(((Map<?, ?>) json.get("memory_stats")).isEmpty());
        assertNull(((Map<?, ?>) json.get("blkio_stats")).get("io_service_bytes_recursive"));
    }
}
