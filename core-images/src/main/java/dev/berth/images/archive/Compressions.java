package dev.berth.images.archive;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.images.layer.IsalInflaterInputStream;
import dev.berth.images.manifest.MediaTypes.Compression;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/** Recognises and opens compressed layer streams by their magic bytes, whatever the media type claims. */
public final class Compressions {
    private Compressions() {
    }

    /** Peeks at the first bytes; the stream must support mark/reset. */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (head.length == 4 && (head[0] & 0xff) == 0x28 && (head[1] & 0xff) == 0xb5 && (head[2] & 0xff) == 0x2f
                && (head[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    /** The uncompressed stream of a layer blob of any supported compression. */
    public static InputStream decompressed(InputStream raw) throws IOException {
        InputStream in = raw.markSupported() ? raw : new BufferedInputStream(raw, 256 * 1024);
        return switch (detect(in)) {
            case GZIP -> IsalInflaterInputStream.open(in);
            case ZSTD -> new ZstdInputStream(in);
            case NONE -> in;
        };
    }
}
