package dev.berth.images.layer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** ISA-L must read every stream exactly as java.util.zip's GZIPInputStream does. */
class IsalInflaterInputStreamTest {
    private final Random random = new Random(1234);

    @BeforeEach
    void requireIsal() {
        if (!IsalInflaterInputStream.isAvailable() && "true".equals(System.getenv("CI"))) {
            fail("bin/run-tests installs libisal2, so CI must have ISA-L: " + IsalInflaterInputStream.unavailableReason());
        }
        assumeTrue(IsalInflaterInputStream.isAvailable(), IsalInflaterInputStream.unavailableReason());
    }

    @Test
    void singleMemberOfEveryCompressionLevel() throws IOException {
        byte[] data = compressible(2_500_000);
        for (int level : new int[] {Deflater.NO_COMPRESSION, Deflater.BEST_SPEED, 6, Deflater.BEST_COMPRESSION}) {
            byte[] gz = gzip(level, data);
            assertArrayEquals(data, isal(gz, false), "level " + level);
        }
    }

    @Test
    void concatenatedMembersIncludingAnEmptyOne() throws IOException {
        byte[] a = compressible(300_000);
        byte[] b = new byte[0];
        byte[] c = incompressible(200_000);
        byte[] gz = concat(gzip(6, a), gzip(6, b), gzip(1, c));
        byte[] expected = concat(a, b, c);
        assertArrayEquals(expected, isal(gz, false));
        assertArrayEquals(expected, java(gz), "the reference agrees");
    }

    @Test
    void trickledInputSplitsHeadersAndTrailersAnywhere() throws IOException {
        byte[] a = compressible(100_000);
        byte[] b = compressible(70_000);
        byte[] gz = concat(gzip(6, a), gzip(9, b));
        assertArrayEquals(concat(a, b), isal(gz, true));
    }

    @Test
    void trailingGarbageAfterTheLastMemberIsIgnoredLikeGzipInputStream() throws IOException {
        byte[] data = compressible(50_000);
        byte[] gz = concat(gzip(6, data), "not gzip at all".getBytes());
        assertArrayEquals(java(gz), isal(gz, false));
        assertArrayEquals(data, isal(gz, true));
    }

    @Test
    void truncationAnywhereIsAnEofException() {
        byte[] gz = gzip(6, compressible(200_000));
        for (int cut : new int[] {5, 12, gz.length / 3, gz.length - 8, gz.length - 1}) {
            byte[] truncated = Arrays.copyOf(gz, cut);
            assertThrows(EOFException.class, () -> isal(truncated, false), "cut at " + cut);
        }
    }

    @Test
    void corruptCrcSizeAndMagicAreZipExceptions() {
        byte[] gz = gzip(6, compressible(80_000));
        byte[] badCrc = gz.clone();
        badCrc[gz.length - 8] ^= 1;
        byte[] badSize = gz.clone();
        badSize[gz.length - 2] ^= 1;
        byte[] badMagic = gz.clone();
        badMagic[0] = 0x1e;
        byte[] badData = gz.clone();
        badData[gz.length / 2] ^= 0x7f;
        for (byte[] corrupt : new byte[][] {badCrc, badSize, badMagic, badData}) {
            assertThrows(ZipException.class, () -> isal(corrupt, false));
        }
    }

    @Test
    void openPrefersIsal() throws IOException {
        try (InputStream in = IsalInflaterInputStream.open(new ByteArrayInputStream(gzip(6, new byte[10])))) {
            assertEquals(IsalInflaterInputStream.class, in.getClass());
            assertEquals(10, in.readAllBytes().length);
        }
    }

    private byte[] compressible(int n) {
        byte[] b = new byte[n];
        String words = "the quick brown fox jumps over the lazy dog layer blob tar gzip ";
        for (int i = 0; i < n; i++) {
            b[i] = random.nextInt(10) == 0 ? (byte) random.nextInt(256) : (byte) words.charAt((i * 7 + i / 13) % words.length());
        }
        return b;
    }

    private byte[] incompressible(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static byte[] gzip(int level, byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out) {
            {
                def.setLevel(level);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
        return out.toByteArray();
    }

    private byte[] isal(byte[] gz, boolean trickle) throws IOException {
        InputStream source = new ByteArrayInputStream(gz);
        if (trickle) {
            Random r = new Random(99);
            InputStream whole = source;
            source = new InputStream() {
                @Override
                public int read() throws IOException {
                    return whole.read();
                }

                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return whole.read(b, off, Math.min(len, 1 + r.nextInt(9)));
                }
            };
        }
        try (InputStream in = IsalInflaterInputStream.openIsal(source)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[trickle ? 333 : 65536];
            int n;
            while ((n = in.read(buf)) > 0) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        }
    }

    private static byte[] java(byte[] gz) throws IOException {
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        }
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }
}
