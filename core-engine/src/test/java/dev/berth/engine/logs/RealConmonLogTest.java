package dev.berth.engine.logs;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The reader against logs written by the real conmon, so that the format and the rotation are conmon's
 * and not this project's idea of them. The "runtime" is a script that starts the container's process
 * in the background and writes its pid, which is all conmon needs from {@code runc create}; conmon is a
 * subreaper, so it still sees that process exit and writes the exit file.
 */
@Timeout(60)
class RealConmonLogTest {
    private static final Path CONMON = Path.of("/usr/bin/conmon");

    @TempDir
    Path dir;

    private Process conmon(String containerScript, Long logSizeMax) throws IOException {
        assumeTrue(Files.isExecutable(CONMON), "conmon is not installed");
        Path script = dir.resolve("container.sh");
        Files.writeString(script, containerScript);
        Path runtime = dir.resolve("runtime");
        Files.writeString(runtime, """
                #!/bin/sh
                pidfile=
                while [ $# -gt 0 ]; do case "$1" in --pid-file) pidfile=$2; shift;; esac; shift; done
                sh %s &
                echo $! > "$pidfile"
                """.formatted(script));
        Files.setPosixFilePermissions(runtime, PosixFilePermissions.fromString("rwx------"));
        Files.createDirectories(dir.resolve("bundle"));
        Files.createDirectories(dir.resolve("exits"));
        List<String> cmd = new ArrayList<>(List.of(CONMON.toString(), "--api-version", "1",
                "-c", "c0ffee0123456789", "-u", "c0ffee0123456789", "-n", "t", "-r", runtime.toString(),
                "-b", dir.resolve("bundle").toString(), "-p", dir.resolve("pid").toString(),
                "-l", "k8s-file:" + dir.resolve("ctr.log"), "--exit-dir", dir.resolve("exits").toString(),
                "--socket-dir-path", dir.toString(), "--sync"));
        if (logSizeMax != null) {
            cmd.addAll(List.of("--log-size-max", logSizeMax.toString()));
        }
        return new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(dir.resolve("conmon.out").toFile()).start();
    }

    private boolean exited() {
        return Files.exists(dir.resolve("exits").resolve("c0ffee0123456789"));
    }

    private void awaitExit(Process p) throws Exception {
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "conmon did not finish");
        assertTrue(exited(), "no exit file: " + Files.readString(dir.resolve("conmon.out")));
    }

    @Test
    void readsWhatConmonWrote() throws Exception {
        Process p = conmon("""
                printf 'hello\\n'; printf 'partial'; sleep 0.2; printf ' done\\n'
                printf 'err line\\n' >&2
                printf 'na\\303\\257ve \\346\\227\\245\\346\\234\\254\\n'
                printf 'no newline at end'
                """, null);
        try {
            awaitExit(p);
        } finally {
            p.destroyForcibly();
        }
        List<LogLine> lines = new ArrayList<>();
        new K8sLogReader(dir.resolve("ctr.log"), LogOptions.all(), this::exited).read(lines::add);
        // conmon reads stdout and stderr from two pipes, so only the order within a stream is given.
        List<LogLine> out = lines.stream().filter(l -> l.stream() == StdStream.STDOUT).toList();
        assertEquals(List.of("hello\n", "partial done\n", "naïve 日本\n", "no newline at end"),
                out.stream().map(LogLine::text).toList());
        assertEquals(List.of("err line\n"),
                lines.stream().filter(l -> l.stream() == StdStream.STDERR).map(LogLine::text).toList());
        // The joined line keeps the time of its first piece, 0.2 s before its end was written.
        assertTrue(out.get(1).timestamp().isBefore(out.get(2).timestamp().minusMillis(100)));
        List<String> tail = new ArrayList<>();
        new K8sLogReader(dir.resolve("ctr.log"), LogOptions.all().withTail(4), this::exited)
                .read(l -> tail.add(l.text()));
        assertEquals(java.util.Set.of("partial done\n", "err line\n", "naïve 日本\n", "no newline at end"),
                java.util.Set.copyOf(tail));
        assertEquals("no newline at end", tail.getLast());
    }

    @Test
    void followKeepsEveryLineThroughConmonsRotations() throws Exception {
        Process p = conmon("""
                i=0
                while [ $i -lt 30 ]; do echo "line $i"; i=$((i+1)); sleep 0.03; done
                """, 300L);
        List<String> got = new ArrayList<>();
        try {
            new K8sLogReader(dir.resolve("ctr.log"), LogOptions.all().withFollow(true), this::exited,
                    Duration.ofMillis(5)).read(l -> got.add(l.text()));
            awaitExit(p);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(IntStream.range(0, 30).mapToObj(i -> "line " + i + "\n").toList(), got);
        // conmon really rotated: what it left holds only the last few lines.
        String left = Files.readString(dir.resolve("ctr.log"));
        assertFalse(left.contains("line 0\n"), left);
        assertTrue(left.contains("line 29\n"), left);
    }

    @Test
    void aKeeperGivesConmonsSizeRotationDockersMaxFile() throws Exception {
        Process p = conmon("""
                i=0
                while [ $i -lt 30 ]; do echo "line $i"; i=$((i+1)); sleep 0.03; done
                """, 300L);
        Path log = dir.resolve("ctr.log");
        RotatedLogKeeper keepAll = new RotatedLogKeeper(log, 100);
        int kept = 0;
        try {
            while (!exited()) {
                kept += keepAll.check() ? 1 : 0;
                Thread.sleep(5);
            }
            awaitExit(p);
        } finally {
            p.destroyForcibly();
        }
        kept += keepAll.check() ? 1 : 0;
        assertTrue(kept >= 3, "conmon rotated only " + kept + " times");
        List<String> got = new ArrayList<>();
        new K8sLogReader(log, LogOptions.all(), this::exited).read(l -> got.add(l.text()));
        assertEquals(IntStream.range(0, 30).mapToObj(i -> "line " + i + "\n").toList(), got);
        List<String> last = new ArrayList<>();
        new K8sLogReader(log, LogOptions.all().withTail(12), this::exited).read(l -> last.add(l.text()));
        assertEquals(got.subList(18, 30), last);
    }
}
