package dev.berth.images.archive;

import com.github.luben.zstd.ZstdInputStream;
import dev.berth.images.layer.IsalInflaterInputStream;
import dev.berth.images.manifest.MediaTypes.Compression;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Recognises and opens compressed streams by their magic bytes, whatever the media type claims. Two
 * readings: {@link #decompressed} for layer blobs (gzip and zstd, the only compressions a layer media
 * type names), and {@link #decompressStream} for what a user hands over as a tarball, {@code docker
 * import} and a build context, which moby's {@code archive.DecompressStream} also reads as bzip2 or xz.
 * Layers keep the narrow reading so a plain tar whose first name starts with {@code BZh} stays a tar.
 */
public final class Compressions {
    /** What {@link #decompressStream} tells apart, as moby's {@code archive.Compression}. */
    public enum Format { NONE, GZIP, BZIP2, XZ, ZSTD }

    private static final int BUFFER = 256 * 1024;

    private Compressions() {
    }

    /** Peeks at the first bytes; the stream must support mark/reset. */
    public static Compression detect(InputStream in) throws IOException {
        in.mark(4);
        byte[] head = in.readNBytes(4);
        in.reset();
        if (starts(head, 0x1f, 0x8b)) {
            return Compression.GZIP;
        }
        if (starts(head, 0x28, 0xb5, 0x2f, 0xfd)) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    /** Peeks at the first bytes for any of moby's five formats; the stream must support mark/reset. */
    public static Format sniff(InputStream in) throws IOException {
        in.mark(6);
        byte[] head = in.readNBytes(6);
        in.reset();
        if (starts(head, 0x1f, 0x8b)) {
            return Format.GZIP;
        }
        if (starts(head, 0x28, 0xb5, 0x2f, 0xfd)) {
            return Format.ZSTD;
        }
        if (starts(head, 'B', 'Z', 'h')) {
            return Format.BZIP2;
        }
        if (starts(head, 0xfd, '7', 'z', 'X', 'Z', 0x00)) {
            return Format.XZ;
        }
        return Format.NONE;
    }

    /** The uncompressed stream of a layer blob of any supported compression. */
    public static InputStream decompressed(InputStream raw) throws IOException {
        InputStream in = markable(raw);
        return open(switch (detect(in)) {
            case GZIP -> Format.GZIP;
            case ZSTD -> Format.ZSTD;
            case NONE -> Format.NONE;
        }, in);
    }

    /**
     * moby's {@code archive.DecompressStream}: a tarball plain or compressed with gzip, bzip2, xz or zstd
     * (concatenated members read through), told apart by its magic bytes.
     *
     * @throws IOException when the stream cannot be read or its compression header is corrupt
     */
    public static InputStream decompressStream(InputStream raw) throws IOException {
        InputStream in = markable(raw);
        return open(sniff(in), in);
    }

    private static InputStream open(Format format, InputStream in) throws IOException {
        return switch (format) {
            case GZIP -> IsalInflaterInputStream.open(in);
            case ZSTD -> new ZstdInputStream(in);
            case BZIP2 -> new BZip2CompressorInputStream(in, true);
            case XZ -> new XZCompressorInputStream(in, true);
            case NONE -> in;
        };
    }

    private static InputStream markable(InputStream raw) {
        return raw.markSupported() ? raw : new BufferedInputStream(raw, BUFFER);
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
