package dev.berth.engine.images;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.errors.BerthException;
import dev.berth.images.layer.IsalInflaterInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * The compressions {@code docker import} accepts (moby's {@code archive.DecompressStream}): plain tar,
 * gzip, bzip2, xz and zstd, told apart by their magic bytes.
 */
final class ImportCompressions {
    private ImportCompressions() {
    }

    static InputStream decompressed(InputStream raw) throws IOException {
        InputStream in = new BufferedInputStream(raw, 256 * 1024);
        in.mark(6);
        byte[] m = in.readNBytes(6);
        in.reset();
        try {
            if (starts(m, 0x1f, 0x8b)) {
                return IsalInflaterInputStream.open(in);
            }
            if (starts(m, 0x28, 0xb5, 0x2f, 0xfd)) {
                return new ZstdInputStream(in);
            }
            if (starts(m, 'B', 'Z', 'h')) {
                return new BZip2CompressorInputStream(in, true);
            }
            if (starts(m, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
                return new XZCompressorInputStream(in, true);
            }
        } catch (IOException e) {
            throw BerthException.invalid("cannot decompress the imported archive: " + e.getMessage());
        }
        return in;
    }

    private static boolean starts(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xff) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
