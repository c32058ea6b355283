package dev.berth.images.layer;

import com.github.luben.zstd.ZstdIOException;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;

import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.zip.ZipException;

/**
 * Hashes and counts the uncompressed layer as it is read: the diffID. It also turns the decompressors'
 * complaints about their input (java.util.zip's ZipException and EOFException, zstd-jni's
 * ZstdIOException) into DATA_LOSS, so a truncated or corrupt blob reads as such and not as a bug.
 */
final class HashingInputStream extends FilterInputStream {
    private final MessageDigest digest = Digest.Algorithm.SHA256.newMessageDigest();
    private long count;

    HashingInputStream(InputStream uncompressed) {
        super(uncompressed);
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n;
        try {
            n = in.read(b, off, len);
        } catch (ZipException | EOFException | ZstdIOException e) {
            throw corrupt(e);
        }
        if (n > 0) {
            digest.update(b, off, n);
            count += n;
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Skipping would leave bytes out of the digest.
        byte[] scratch = new byte[(int) Math.min(n, 64 * 1024)];
        int r = read(scratch, 0, scratch.length);
        return Math.max(r, 0);
    }

    Digest digest() {
        return Digest.fromMessageDigest(Digest.Algorithm.SHA256, digest.digest());
    }

    long count() {
        return count;
    }

    private static BerthException corrupt(IOException e) {
        return new BerthException(ErrorCategory.DATA_LOSS, "layer blob is truncated or corrupt: " + e.getMessage(), e);
    }
}
