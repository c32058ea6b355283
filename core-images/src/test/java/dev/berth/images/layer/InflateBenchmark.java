package dev.berth.images.layer;

import dev.berth.images.Digest;

import java.io.BufferedInputStream;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.zip.GZIPInputStream;

/**
 * Not a test: compares gunzip throughput of java.util.zip and ISA-L on a real file.
 * Run: java -cp ... dev.berth.images.layer.InflateBenchmark FILE.gz [rounds]
 */
public final class InflateBenchmark {
    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        System.out.println("isal: " + (IsalInflaterInputStream.isAvailable() ? "available" : IsalInflaterInputStream.unavailableReason()));
        byte[] buf = new byte[256 * 1024];
        for (int r = 0; r < rounds; r++) {
            for (String impl : new String[] {"java", "isal", "isal+sha256", "sha256-only(plain tar bytes/s)"}) {
                long t0 = System.nanoTime();
                long total = 0;
                MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
                try (InputStream raw = Files.newInputStream(file);
                     InputStream in = switch (impl) {
                         case "java" -> new GZIPInputStream(raw, 256 * 1024);
                         case "sha256-only(plain tar bytes/s)" -> Files.newInputStream(Path.of(args[0].replaceAll("\\.gz$", "")));
                         default -> IsalInflaterInputStream.openIsal(raw);
                     }) {
                    int n;
                    while ((n = in.read(buf)) > 0) {
                        total += n;
                        if (impl.contains("sha")) {
                            md.update(buf, 0, n);
                        }
                    }
                }
                double s = (System.nanoTime() - t0) / 1e9;
                System.out.printf("%-32s %8.1f MB/s out (%d bytes in %.2fs)%n", impl, total / 1e6 / s, total, s);
            }
        }
    }
}
