package dev.berth.images.layer;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Not a test: unpacks a real layer blob and reports throughput.
 * Run: java -cp ... dev.berth.images.layer.UnpackBenchmark BLOB TARGET_PARENT [rounds]
 */
public final class UnpackBenchmark {
    public static void main(String[] args) throws Exception {
        Path blob = Path.of(args[0]);
        Path parent = Path.of(args[1]);
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        System.out.println("isal: " + (IsalInflaterInputStream.isAvailable() ? "available" : IsalInflaterInputStream.unavailableReason()));
        LayerUnpacker unpacker = new LayerUnpacker();
        for (int r = 0; r < rounds; r++) {
            Path target = parent.resolve("round" + r);
            LayerDirs.deleteRecursively(target);
            long t0 = System.nanoTime();
            UnpackResult result;
            try (InputStream in = Files.newInputStream(blob)) {
                result = unpacker.unpack(in, null, target);
            }
            double s = (System.nanoTime() - t0) / 1e9;
            long t1 = System.nanoTime();
            LayerDirs.deleteRecursively(target);
            double d = (System.nanoTime() - t1) / 1e9;
            System.out.printf("unpack %.2fs: %.1f MB/s uncompressed, %.1f MB/s compressed, %d entries, %s; delete %.2fs%n",
                    s, result.uncompressedSize() / 1e6 / s, Files.size(blob) / 1e6 / s, result.fileCount(), result.diffId(), d);
        }
    }
}
