package dev.berth.engine.containers;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ProcessListerTest {
    @TempDir
    Path dir;

    @Test
    void keepsTheContainersRowsWithTheCommandWhole() {
        String ps = """
                UID          PID    PPID  C STIME TTY          TIME CMD
                root           1       0  0 08:00 ?        00:00:01 /sbin/init
                root         100       1  0 08:01 ?        00:00:00 sleep 300 --with args
                root         101     100  0 08:01 ?        00:00:00 sh -c x
                """;
        var top = ProcessLister.parse(ps, Set.of("100", "101"));
        assertEquals(List.of("UID", "PID", "PPID", "C", "STIME", "TTY", "TIME", "CMD"), top.titles());
        assertEquals(2, top.processes().size());
        assertEquals("sleep 300 --with args", top.processes().getFirst().get(7));
    }

    @Test
    void pidsComeFromTheInitsCgroupNotTheRoot() throws Exception {
        Path cg = dir.resolve("cg");
        Path proc = dir.resolve("proc");
        Files.createDirectories(proc.resolve("7"));
        Files.writeString(proc.resolve("7/cgroup"), "9:name=systemd:/\n8:pids:/berth/c\n3:cpuset:/\n0::/\n");
        Files.createDirectories(cg.resolve("pids/berth/c"));
        Files.writeString(cg.resolve("pids/berth/c/cgroup.procs"), "7\n8\n");
        Files.createDirectories(cg.resolve("cpuset"));
        Files.writeString(cg.resolve("cpuset/cgroup.procs"), "1\n7\n8\n9\n");
        assertEquals(Set.of("7", "8"), new ProcessLister(cg, proc, "ps").containerPids(7));
    }
}
