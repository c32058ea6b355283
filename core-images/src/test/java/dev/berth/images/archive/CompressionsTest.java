package dev.berth.images.archive;

import com.github.luben.zstd.ZstdOutputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorOutputStream;
import dev.berth.images.manifest.MediaTypes.Compression;
import org.junit.jupiter.api.Test;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class CompressionsTest {
    static final byte[] TAR = TarBuilder.layer("f", "content ".repeat(1000));

    interface Compressor {
        OutputStream wrap(OutputStream out) throws IOException;
    }

    static byte[] compress(Compressor c) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream o = c.wrap(out)) {
            o.write(TAR);
        }
        return out.toByteArray();
    }

    /** A stream without mark support, as a socket or a pipe gives. */
    static InputStream unmarkable(byte[] b) {
        return new FilterInputStream(new ByteArrayInputStream(b)) {
            @Override
            public boolean markSupported() {
                return false;
            }
        };
    }

    @Test
    void detectsByMagicAndLeavesTheStreamUnread() throws IOException {
        byte[] gz = compress(GZIPOutputStream::new);
        byte[] zst = compress(ZstdOutputStream::new);
        InputStream in = new BufferedInputStream(new ByteArrayInputStream(gz));
        assertEquals(Compression.GZIP, Compressions.detect(in));
        assertArrayEquals(gz, in.readAllBytes(), "detect must not consume bytes");
        assertEquals(Compression.ZSTD, Compressions.detect(new ByteArrayInputStream(zst)));
        assertEquals(Compression.NONE, Compressions.detect(new ByteArrayInputStream(TAR)));
        assertEquals(Compression.NONE, Compressions.detect(new ByteArrayInputStream(new byte[0])));
        assertEquals(Compression.NONE, Compressions.detect(new ByteArrayInputStream(new byte[] {0x1f})));
        assertEquals(Compression.NONE, Compressions.detect(new ByteArrayInputStream(new byte[] {0x28, (byte) 0xb5, 0x2f})));
    }

    @Test
    void decompressesWhateverTheMagicSays() throws IOException {
        for (byte[] input : new byte[][] {compress(GZIPOutputStream::new), compress(ZstdOutputStream::new), TAR}) {
            try (InputStream in = Compressions.decompressed(unmarkable(input))) {
                assertArrayEquals(TAR, in.readAllBytes());
            }
            try (InputStream in = Compressions.decompressed(new ByteArrayInputStream(input))) {
                assertArrayEquals(TAR, in.readAllBytes());
            }
        }
    }

    @Test
    void decompressStreamReadsAllOfMobysFormats() throws IOException {
        byte[] bz2 = compress(BZip2CompressorOutputStream::new);
        byte[] xz = compress(XZCompressorOutputStream::new);
        assertEquals(Compressions.Format.BZIP2, Compressions.sniff(new ByteArrayInputStream(bz2)));
        assertEquals(Compressions.Format.XZ, Compressions.sniff(new ByteArrayInputStream(xz)));
        assertEquals(Compressions.Format.NONE, Compressions.sniff(new ByteArrayInputStream(TAR)));
        for (byte[] input : new byte[][] {compress(GZIPOutputStream::new), compress(ZstdOutputStream::new), bz2, xz, TAR}) {
            try (InputStream in = Compressions.decompressStream(unmarkable(input))) {
                assertArrayEquals(TAR, in.readAllBytes());
            }
        }
        byte[] twice = new byte[bz2.length * 2];
        System.arraycopy(bz2, 0, twice, 0, bz2.length);
        System.arraycopy(bz2, 0, twice, bz2.length, bz2.length);
        try (InputStream in = Compressions.decompressStream(new ByteArrayInputStream(twice))) {
            assertEquals(TAR.length * 2, in.readAllBytes().length, "concatenated members are read through");
        }
    }

    @Test
    void aLayerIsNeverTakenForBzip2OrXz() throws IOException {
        // A plain tar whose first entry is named BZh… : only a user's tarball is sniffed for bzip2.
        byte[] tar = TarBuilder.layer("BZh91AY", "x");
        assertEquals(Compression.NONE, Compressions.detect(new ByteArrayInputStream(tar)));
        try (InputStream in = Compressions.decompressed(new ByteArrayInputStream(tar))) {
            assertArrayEquals(tar, in.readAllBytes());
        }
        byte[] xz = compress(XZCompressorOutputStream::new);
        try (InputStream in = Compressions.decompressed(new ByteArrayInputStream(xz))) {
            assertArrayEquals(xz, in.readAllBytes(), "a layer's xz bytes pass through as they are");
        }
    }
}
