package dev.berth.images.store;

import dev.berth.images.Digest;

import java.nio.file.Path;
import java.security.MessageDigest;

/**
 * Child-process main for {@link BlobWriterKillTest}: writes a large blob slowly through a
 * {@link BlobWriter}, announcing on stdout once bytes are on disk, so the parent can kill it mid-write.
 * Args: storeRoot totalBytes chunkBytes sleepMillis.
 */
public final class SlowBlobWriter {
    private SlowBlobWriter() {
    }

    /** The deterministic content both processes agree on. */
    static byte[] chunk(int index, int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (index * 31 + i * 7);
        }
        return b;
    }

    static Digest digestOf(long total, int chunkSize) {
        MessageDigest md = Digest.Algorithm.SHA256.newMessageDigest();
        for (int i = 0; (long) i * chunkSize < total; i++) {
            md.update(chunk(i, chunkSize));
        }
        return Digest.fromMessageDigest(Digest.Algorithm.SHA256, md.digest());
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        long total = Long.parseLong(args[1]);
        int chunkSize = Integer.parseInt(args[2]);
        long sleep = Long.parseLong(args[3]);
        if (total % chunkSize != 0) {
            throw new IllegalArgumentException("total must be a multiple of the chunk size");
        }
        Digest d = digestOf(total, chunkSize);
        BlobStore store = new BlobStore(root);
        try (BlobWriter w = store.newWriter(d, total)) {
            for (int i = 0; (long) i * chunkSize < total; i++) {
                w.write(chunk(i, chunkSize));
                if (i == 0) {
                    System.out.println("WRITING " + d);
                    System.out.flush();
                }
                Thread.sleep(sleep);
            }
            w.commit();
        }
        System.out.println("DONE");
    }
}
