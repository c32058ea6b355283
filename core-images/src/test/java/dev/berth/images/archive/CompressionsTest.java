package dev.berth.images.archive;

import com.github.luben.zstd.ZstdOutputStream;
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
}
