package dev.berth.engine.client;

import okhttp3.MediaType;
import okhttp3.RequestBody;
import okio.BufferedSink;

import java.io.IOException;
import java.io.InputStream;
import java.util.function.LongConsumer;

/**
 * A tar streamed from an {@link InputStream} as a request body (build context, image load, cp into a
 * container). One-shot: the stream is read once, so OkHttp must not retry or replay it.
 */
final class TarUpload extends RequestBody {
    private static final MediaType TAR = MediaType.get("application/x-tar");
    private final InputStream tar;
    private final long length;
    private final LongConsumer sent;

    /**
     * @param length the byte count, or -1 when unknown (chunked)
     * @param sent   hears the running count of bytes sent
     */
    TarUpload(InputStream tar, long length, LongConsumer sent) {
        this.tar = tar;
        this.length = length;
        this.sent = sent;
    }

    TarUpload(InputStream tar) {
        this(tar, -1, total -> { });
    }

    @Override
    public MediaType contentType() {
        return TAR;
    }

    @Override
    public long contentLength() {
        return length;
    }

    @Override
    public boolean isOneShot() {
        return true;
    }

    @Override
    public void writeTo(BufferedSink sink) throws IOException {
        byte[] buffer = new byte[64 * 1024];
        long total = 0;
        for (int n; (n = tar.read(buffer)) >= 0; ) {
            sink.write(buffer, 0, n);
            total += n;
            sent.accept(total);
        }
    }
}
