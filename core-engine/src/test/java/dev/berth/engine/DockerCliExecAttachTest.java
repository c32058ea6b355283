package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real docker CLI attaching stdin and exec'ing into containers on Berth. */
class DockerCliExecAttachTest {
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path config;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        engine = BusyboxOnBerth.start(TestDaemon.start(), config);
        ref = engine.ref();
    }

    @AfterAll
    static void stop() throws Exception {
        if (engine != null) {
            engine.close();
        }
    }

    static Processes.Result docker(String... args) {
        return engine.docker(args);
    }

    /** The docker CLI with {@code stdin} piped in. */
    static Processes.Result dockerWithStdin(String stdin, String... args) {
        String[] cmd = new String[args.length + 1];
        cmd[0] = Processes.requireBinary("docker");
        System.arraycopy(args, 0, cmd, 1, args.length);
        return Processes.run(env(), stdin.getBytes(StandardCharsets.UTF_8), 60, cmd);
    }

    static Map<String, String> env() {
        return Map.of("DOCKER_HOST", engine.daemon().host(), "DOCKER_CONFIG", config.toString(),
                "DOCKER_CLI_HINTS", "false");
    }

    /** The docker CLI under a pseudo-terminal of {@code rows}x{@code cols}, as a user's shell gives it. */
    static Processes.Result dockerInPty(int rows, int cols, String stdin, String dockerArgs) {
        String line = "stty rows " + rows + " cols " + cols + "; " + Processes.requireBinary("docker") + " " + dockerArgs;
        return Processes.run(env(), stdin.getBytes(StandardCharsets.UTF_8), 60,
                Processes.requireBinary("script"), "-qfec", line, "/dev/null");
    }

    @Test
    void runWithPipedStdinEchoesAndExits() {
        var run = dockerWithStdin("hi\n", "run", "-i", "--rm", "--network", "none", ref, "cat");
        assertEquals(0, run.exitCode(), run.stderr());
        assertEquals("hi\n", run.stdout());
    }

    @Test
    void execReportsOutputStreamsAndExitCode() {
        docker("run", "-d", "--network", "none", "--name", "attach-ex1", ref, "sleep", "1000").assertOk();
        try {
            var ex = docker("exec", "attach-ex1", "sh", "-c", "echo out; echo err >&2; exit 3");
            assertEquals(3, ex.exitCode(), ex.stderr());
            assertEquals("out\n", ex.stdout());
            assertEquals("err\n", ex.stderr());

            // The test image has no passwd: give it users, as an image would.
            docker("exec", "attach-ex1", "sh", "-c", "echo 'root:x:0:0:root:/root:/bin/sh' > /etc/passwd;"
                    + " echo 'berth:x:1234:2345:B:/home/b:/bin/sh' >> /etc/passwd;"
                    + " echo 'main:x:2345:' > /etc/group; echo 'extra:x:3456:berth' >> /etc/group").assertOk();
            var opts = docker("exec", "-e", "FOO=bar", "-u", "berth", "-w", "/etc", "attach-ex1",
                    "sh", "-c", "echo $FOO; busybox id -u; busybox id -G; pwd").assertOk();
            assertEquals("bar\n1234\n2345 3456\n/etc\n", opts.stdout());
            var group = docker("exec", "-u", "berth:extra", "attach-ex1", "busybox", "id", "-g").assertOk();
            assertEquals("3456\n", group.stdout());
            var numeric = docker("exec", "-u", "42:43", "attach-ex1", "busybox", "id", "-u").assertOk();
            assertEquals("42\n", numeric.stdout());

            var piped = dockerWithStdin("piped\n", "exec", "-i", "attach-ex1", "cat");
            assertEquals(0, piped.exitCode(), piped.stderr());
            assertEquals("piped\n", piped.stdout());

            var tty = dockerInPty(33, 111, "", "exec -t attach-ex1 busybox stty size");
            assertEquals(0, tty.exitCode(), tty.stderr());
            assertEquals("33 111", tty.stdout().strip());
        } finally {
            docker("rm", "-f", "attach-ex1");
        }
    }

    @Test
    void execIntoAStoppedContainerIsAConflict() {
        docker("create", "--network", "none", "--name", "attach-ex2", ref, "true").assertOk();
        try {
            var ex = docker("exec", "attach-ex2", "true");
            assertTrue(ex.exitCode() != 0);
            assertTrue(ex.stderr().contains("is not running"), ex.stderr());
        } finally {
            docker("rm", "-f", "attach-ex2");
        }
    }
}
