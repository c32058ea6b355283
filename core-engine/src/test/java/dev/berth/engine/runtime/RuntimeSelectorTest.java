package dev.berth.engine.runtime;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runtime detection: stand-in binaries that answer --version as runc 1.1.5 and crun 1.8.1 do. */
class RuntimeSelectorTest {
    /** This machine's layout: hugetlb is not mounted as v1, so the v2 tree holds it. */
    static final CgroupLayout HYBRID = new CgroupLayout(CgroupLayout.Mode.HYBRID, Set.of("memory", "cpu", "pids"), Set.of("hugetlb"));
    /** systemd's hybrid mode: every controller on v1, the v2 tree only tracks processes. */
    static final CgroupLayout SYSTEMD_HYBRID = new CgroupLayout(CgroupLayout.Mode.HYBRID, Set.of("memory", "cpu", "pids"));
    static final CgroupLayout V2 = new CgroupLayout(CgroupLayout.Mode.V2, Set.of("memory", "cpu", "pids"));

    @TempDir
    Path dir;

    private Path fake(String name, String version) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\necho '" + name + " version " + version + "'\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void automaticPrefersAWorkingRuntimeAndSkipsCrunOnHybridCgroups() throws IOException {
        Path crun = fake("crun", "1.8.1");
        var onlyCrun = new RuntimeSelector(List.of(dir)).select(null, HYBRID);
        assertNull(onlyCrun.runtime());
        assertTrue(onlyCrun.problem().contains("runc is not installed")
                && onlyCrun.problem().contains("crun does not support hybrid cgroups whose v2 hierarchy holds controllers (here: hugetlb)"),
                onlyCrun.problem());
        assertEquals(crun, new RuntimeSelector(List.of(dir)).select(null, V2).runtime());
        assertEquals(crun, new RuntimeSelector(List.of(dir)).select(null, SYSTEMD_HYBRID).runtime(),
                "crun takes a hybrid layout whose v2 tree holds no controller");

        Path runc = fake("runc", "1.1.5");
        assertEquals(runc, new RuntimeSelector(List.of(dir)).select(null, HYBRID).runtime());
    }

    @Test
    void aRequestedRuntimeThatCannotWorkIsAClearErrorNotASubstitute() throws IOException {
        fake("runc", "1.1.5");
        Path crun = fake("crun", "1.8.1");
        var s = new RuntimeSelector(List.of(dir));
        var hybrid = s.select("crun", HYBRID);
        assertNull(hybrid.runtime());
        assertTrue(hybrid.problem().startsWith("the OCI runtime \"crun\" asked for cannot run containers here: crun does not support hybrid"),
                hybrid.problem());
        assertEquals(crun, s.select("crun", V2).runtime());
        assertEquals(crun, s.select(crun.toString(), V2).runtime());
        assertEquals("the OCI runtime \"youki\" asked for is not installed", s.select("youki", V2).problem());
    }

    @Test
    void thisHostHasAWorkingRuntime() {
        Processes.requireRunc();
        var s = RuntimeSelector.system().select(null, CgroupLayout.detect());
        assertTrue(s.runtime() != null, s.problem());
    }

    private static final class Processes {
        static void requireRunc() {
            if (!Files.isExecutable(Path.of("/usr/sbin/runc")) && "true".equals(System.getenv("CI"))) {
                throw new AssertionError("runc is not installed");
            }
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/sbin/runc")), "runc is not installed");
        }
    }
}
