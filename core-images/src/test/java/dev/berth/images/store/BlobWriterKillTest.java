package dev.berth.images.store;

import dev.berth.images.Digest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A real kill -9 in the middle of a blob write: the blob must not appear, and the debris must go. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BlobWriterKillTest {
    static final long TOTAL = 64L << 20;
    static final int CHUNK = 64 << 10;

    @TempDir
    Path root;

    @Test
    void killedWriterLeavesNoBlobAndItsTempFileIsSwept() throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1",
                "-cp", System.getProperty("java.class.path"), SlowBlobWriter.class.getName(),
                root.toString(), Long.toString(TOTAL), Integer.toString(CHUNK), "20")
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String line = CompletableFuture.supplyAsync(() -> {
                try {
                    String l;
                    StringBuilder seen = new StringBuilder();
                    while ((l = out.readLine()) != null) {
                        if (l.startsWith("WRITING ")) {
                            return l;
                        }
                        seen.append(l).append('\n');
                    }
                    return "EOF " + seen;
                } catch (IOException e) {
                    return "ERROR " + e;
                }
            }).get(60, TimeUnit.SECONDS);
            assertTrue(line.startsWith("WRITING "), line);
            Digest d = Digest.parse(line.substring("WRITING ".length()));
            assertEquals(SlowBlobWriter.digestOf(TOTAL, CHUNK), d);

            // Let a few more chunks land so the kill really is mid-write, not at the start.
            long staged = 0;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (staged < 4L * CHUNK && System.nanoTime() < deadline) {
                Thread.sleep(20);
                staged = tmpFiles().stream().mapToLong(BlobWriterKillTest::size).sum();
            }
            assertTrue(staged >= 4L * CHUNK, "the child staged " + staged + " bytes");
            assertTrue(child.isAlive(), "the child must still be writing when killed");

            child.destroyForcibly();
            assertTrue(child.waitFor(30, TimeUnit.SECONDS));
            assertEquals(137, child.exitValue(), "killed by SIGKILL");

            // The crash left a partial temp file and no blob.
            List<Path> debris = tmpFiles();
            assertEquals(1, debris.size(), debris.toString());
            long partial = size(debris.getFirst());
            assertTrue(partial > 0 && partial < TOTAL, "partial temp file of " + partial + " bytes");
            assertFalse(Files.exists(root.resolve("blobs/sha256/" + d.hex())));

            BlobStore reopened = new BlobStore(root);
            assertFalse(reopened.contains(d), "a killed write must never publish the blob");
            assertEquals(List.of(), reopened.list());
            assertEquals(List.of(), tmpFiles(), "reopening sweeps what the killed writer left");
        } finally {
            child.destroyForcibly();
            child.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private List<Path> tmpFiles() throws IOException {
        try (Stream<Path> s = Files.list(root.resolve("tmp"))) {
            return s.toList();
        }
    }

    private static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
