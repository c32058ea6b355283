package dev.berth.images.layer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.manifest.MediaTypes.Compression;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PushbackInputStream;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Objects;
import java.util.zip.ZipException;

/**
 * Unpacks a layer blob into a directory ready to be an overlayfs lowerdir, computing the diffID on the
 * way. See {@link LayerRoot} for why nothing lands outside the directory, and {@link LayerWriter} for
 * how entries, whiteouts and metadata are applied.
 *
 * <p>Thread-safe and stateless between calls: several layers may unpack at once.
 */
public final class LayerUnpacker {
    private static final int BUFFER_SIZE = 256 * 1024;
    private static final int READ_AHEAD_CHUNKS = 8;

    private final int umask;

    /** Reads the process umask, so create it at start-up rather than while other threads create files. */
    public LayerUnpacker() {
        this.umask = Posix.currentUmask();
    }

    /**
     * Decompresses {@code blob}, unpacks the tar inside into {@code targetDir} (created if missing) and
     * reads {@code blob} to its end, so a digest the caller computes over it covers every byte. The
     * blob is not closed. It is read on a helper thread (one at a time, never concurrently), so that
     * decompression overlaps with writing files.
     *
     * <p>On failure {@code targetDir} is left as far as it got: delete it with
     * {@link LayerDirs#deleteRecursively}.
     *
     * @param compression how the blob is compressed, or {@code null} to tell from its first bytes
     * @throws BerthException INVALID_ARGUMENT for a malformed or hostile layer (an entry that would
     *     escape {@code targetDir} is named in the message), DATA_LOSS for a corrupt or truncated
     *     compressed stream, FORBIDDEN when a device node or whiteout needs root we lack, SYSTEM when
     *     the filesystem fails (the entry is named)
     * @throws IOException only when reading {@code blob} itself fails, unchanged, so the caller can
     *     tell a broken download from a broken layer
     */
    public UnpackResult unpack(InputStream blob, Compression compression, Path targetDir) throws IOException {
        Objects.requireNonNull(blob, "blob");
        Objects.requireNonNull(targetDir, "targetDir");
        LayerRoot root = new LayerRoot(prepareTarget(targetDir), umask);
        SourceStream source = new SourceStream(blob);
        try {
            InputStream compressed = source;
            if (compression == null) {
                PushbackInputStream sniffing = new PushbackInputStream(source, 4);
                compression = sniff(sniffing);
                compressed = sniffing;
            }
            HashingInputStream tarStream = new HashingInputStream(decompress(compressed, compression));
            InputStream rest = source;
            try (ReadAheadInputStream ahead = new ReadAheadInputStream(tarStream, BUFFER_SIZE, READ_AHEAD_CHUNKS,
                    () -> rest.transferTo(OutputStream.nullOutputStream()))) {
                TarReader tar = new TarReader(ahead, BUFFER_SIZE);
                LayerWriter writer = new LayerWriter(root, umask);
                TarHeader header;
                while ((header = tar.next()) != null) {
                    apply(writer, header, tar);
                }
                tar.drain();
                try {
                    writer.finish();
                } catch (IOException e) {
                    throw new BerthException(ErrorCategory.SYSTEM, "cannot set directory times in " + root.path() + ": "
                            + e.getMessage(), e);
                }
                return new UnpackResult(tarStream.digest(), tarStream.count(), writer.appliedCount());
            }
        } catch (SourceIOException e) {
            throw e.getCause();
        }
    }

    private static void apply(LayerWriter writer, TarHeader header, TarReader tar) throws IOException {
        try {
            writer.apply(header, tar);
        } catch (SourceIOException e) {
            throw e;
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.SYSTEM, "cannot unpack layer entry \"" + LayerRoot.printable(header.name())
                    + "\": " + e.getMessage(), e);
        } catch (InvalidPathException e) {
            throw BerthException.invalid("layer entry \"" + LayerRoot.printable(header.name()) + "\" cannot be a file name here: "
                    + e.getReason() + (Posix.pathsAreUtf8() ? "" : " (run with a UTF-8 locale, e.g. LANG=C.UTF-8)"));
        }
    }

    private static Path prepareTarget(Path targetDir) throws IOException {
        if (!Files.exists(targetDir, LinkOption.NOFOLLOW_LINKS)) {
            Files.createDirectories(targetDir);
        }
        if (!Files.isDirectory(targetDir, LinkOption.NOFOLLOW_LINKS)) {
            throw BerthException.invalid("layer target " + targetDir + " is not a directory");
        }
        // Paths built below it must contain no symlink of the caller's, or the lstat checks would see one.
        return targetDir.toAbsolutePath().toRealPath();
    }

    private static Compression sniff(PushbackInputStream in) throws IOException {
        byte[] magic = in.readNBytes(4);
        in.unread(magic);
        if (magic.length >= 2 && (magic[0] & 0xff) == 0x1f && (magic[1] & 0xff) == 0x8b) {
            return Compression.GZIP;
        }
        if (magic.length == 4 && (magic[0] & 0xff) == 0x28 && (magic[1] & 0xff) == 0xb5 && (magic[2] & 0xff) == 0x2f
                && (magic[3] & 0xff) == 0xfd) {
            return Compression.ZSTD;
        }
        return Compression.NONE;
    }

    /** The decompressing stream; closing it frees native buffers but leaves the blob open. */
    private static InputStream decompress(InputStream compressed, Compression compression) throws IOException {
        InputStream unclosable = new FilterInputStream(compressed) {
            @Override
            public void close() {
            }
        };
        try {
            return switch (compression) {
                case NONE -> unclosable;
                case GZIP -> IsalInflaterInputStream.open(unclosable);
                case ZSTD -> new ZstdInputStreamNoFinalizer(unclosable);
            };
        } catch (ZipException | EOFException e) {
            // GZIPInputStream reads the header at once: an empty or non-gzip blob fails here.
            throw new BerthException(ErrorCategory.DATA_LOSS, "layer blob is not valid " + compression + ": " + e.getMessage(), e);
        }
    }

    /** Marks failures of the caller's stream, so they pass through unwrapped. */
    private static final class SourceIOException extends IOException {
        SourceIOException(IOException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized IOException getCause() {
            return (IOException) super.getCause();
        }
    }

    private static final class SourceStream extends FilterInputStream {
        SourceStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (IOException e) {
                throw new SourceIOException(e);
            }
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            try {
                return in.read(b, off, len);
            } catch (IOException e) {
                throw new SourceIOException(e);
            }
        }

        @Override
        public void close() {
            // the caller owns the blob
        }
    }
}
