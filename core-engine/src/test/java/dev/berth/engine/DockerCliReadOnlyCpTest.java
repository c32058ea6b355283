package dev.berth.engine;

import dev.berth.engine.testing.BusyboxOnBerth;
import dev.berth.engine.testing.Processes;
import dev.berth.engine.testing.TestDaemon;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code docker cp} with a read-only rootfs: copies into its tmpfs mounts ({@code --tmpfs} and
 * {@code --mount type=tmpfs}, through the running container's mount namespace) and into a writable
 * volume work; into the rootfs, or a read-only mount, they are moby's 400s with its words; copies out
 * work from everywhere. Never a 500.
 */
class DockerCliReadOnlyCpTest {
    static BusyboxOnBerth engine;
    static String ref;
    @TempDir
    static Path config;
    @TempDir
    Path work;

    @BeforeAll
    static void start() throws Exception {
        BusyboxOnBerth.requireContainerPrerequisites();
        // No bridge network: these containers need none (they get loopback only).
        engine = BusyboxOnBerth.start(TestDaemon.startWithBridge("", null), config);
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

    @Test
    void readOnlyRootfsTakesCopiesOnlyIntoWritableMounts() throws Exception {
        Path ro = Files.createDirectories(work.resolve("ro-bind"));
        docker("run", "-d", "--name", "rt-ro", "--read-only", "--tmpfs", "/tmp", "--mount", "type=tmpfs,dst=/scratch",
                "-v", "rt-ro-vol:/data", "-v", ro + ":/robind:ro", ref, "sleep", "300").assertOk();
        try {
            Path in = Files.writeString(work.resolve("in.txt"), "copied in\n");
            for (String dir : new String[] {"/tmp", "/scratch", "/data"}) {
                docker("cp", in.toString(), "rt-ro:" + dir + "/").assertOk();
                assertEquals("copied in\n", docker("exec", "rt-ro", "cat", dir + "/in.txt").assertOk().stdout(), dir);
                Path out = Files.createDirectories(work.resolve("out" + dir));
                docker("cp", "rt-ro:" + dir + "/in.txt", out.toString()).assertOk();
                assertEquals("copied in\n", Files.readString(out.resolve("in.txt")), dir);
            }

            for (String dir : new String[] {"/", "/etc/", "/tmp/../etc"}) {
                var refused = docker("cp", in.toString(), "rt-ro:" + dir);
                assertNotEquals(0, refused.exitCode(), dir);
                assertTrue(refused.stderr().contains("Error response from daemon: container rootfs is marked read-only"),
                        dir + ": " + refused.stderr());
            }
            assertFalse(docker("exec", "rt-ro", "ls", "/").assertOk().stdout().contains("in.txt"), "nothing reached the rootfs");
            var roMount = docker("cp", in.toString(), "rt-ro:/robind/");
            assertNotEquals(0, roMount.exitCode());
            assertTrue(roMount.stderr().contains("mounted volume is marked read-only"), roMount.stderr());
            assertFalse(Files.exists(ro.resolve("in.txt")));

            // Docker's status for both is 400 (errdefs.InvalidParameter), as the API says it.
            assertEquals("400", putArchive("rt-ro", "/etc"));
            assertEquals("400", putArchive("rt-ro", "/robind"));
            assertEquals("200", putArchive("rt-ro", "/tmp"));

            Path out = Files.createDirectories(work.resolve("from-rootfs"));
            docker("cp", "rt-ro:/etc/hello", out.toString()).assertOk();
            assertFalse(Files.readString(out.resolve("hello")).isEmpty());

            // Stopped: the tmpfs is gone, the rootfs still read-only; reading the rootfs still works.
            docker("kill", "rt-ro").assertOk();
            docker("wait", "rt-ro").assertOk();
            var stopped = docker("cp", in.toString(), "rt-ro:/tmp/");
            assertNotEquals(0, stopped.exitCode());
            assertTrue(stopped.stderr().contains("/tmp: it is a tmpfs mount"), stopped.stderr());
            assertEquals("409", putArchive("rt-ro", "/tmp"));
            assertEquals("400", putArchive("rt-ro", "/etc"));
            docker("cp", in.toString(), "rt-ro:/data/again.txt").assertOk();
            Path out2 = Files.createDirectories(work.resolve("stopped"));
            docker("cp", "rt-ro:/etc/hello", out2.toString()).assertOk();
            assertTrue(Files.exists(out2.resolve("hello")));
        } finally {
            docker("rm", "-f", "-v", "rt-ro");
            docker("volume", "rm", "rt-ro-vol");
        }
    }

    /** PUT /containers/{name}/archive with an empty tar: the status. */
    static String putArchive(String name, String path) throws IOException {
        byte[] emptyTar = new byte[1024];
        try (SocketChannel ch = SocketChannel.open(UnixDomainSocketAddress.of(engine.daemon().socket()))) {
            ch.write(ByteBuffer.wrap(("PUT /v1.41/containers/" + name + "/archive?path=" + path + " HTTP/1.0\r\nHost: berth\r\n"
                    + "Content-Type: application/x-tar\r\nContent-Length: " + emptyTar.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII)));
            ch.write(ByteBuffer.wrap(emptyTar));
            String response = new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
            return response.substring(9, 12);
        }
    }
}
