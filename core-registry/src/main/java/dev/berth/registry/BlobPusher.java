package dev.berth.registry;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.store.BlobStore;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSink;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Uploads a blob (distribution spec "pushing blobs"): HEAD to skip what the registry has, a
 * cross-repository mount when the caller knows a repository on the same registry that holds it, else
 * POST to open an upload session and PUT the whole blob, or PATCH it in chunks when it is large.
 * An upload that fails part-way is restarted from a new session (a half-written session cannot be
 * trusted), up to the retry policy's attempts.
 */
final class BlobPusher {
    static final MediaType OCTET_STREAM = MediaType.get("application/octet-stream");
    static final long PROGRESS_EVERY = 512 * 1024;

    private final RegistryCaller caller;
    private final long monolithicMax;
    private final long chunkSize;

    BlobPusher(RegistryCaller caller, long monolithicMax, long chunkSize) {
        this.caller = caller;
        this.monolithicMax = monolithicMax;
        this.chunkSize = chunkSize;
    }

    private String blobPath(String repository, Descriptor blob) {
        return "/v2/" + repository + "/blobs/" + blob.digest();
    }

    boolean exists(String repository, Descriptor blob) {
        RegistryCaller.Call head = RegistryCaller.Call.head(blobPath(repository, blob))
                .scope(RegistryAuthenticator.repositoryScope(repository, true)).accept(200, 404);
        try (Response r = caller.execute(head)) {
            return r.code() == 200;
        }
    }

    PushOutcome push(String repository, Descriptor blob, BlobStore store, String mountFrom, ProgressListener listener) {
        String id = ProgressEvent.idOf(blob.digest());
        Path file = store.path(blob.digest());
        if (exists(repository, blob)) {
            listener.onProgress(id, new ProgressEvent.AlreadyExists());
            return PushOutcome.ALREADY_EXISTS;
        }
        RetryPolicy retry = caller.retry();
        for (int attempt = 1; ; attempt++) {
            try {
                HttpUrl location;
                if (mountFrom != null && !mountFrom.equals(repository)) {
                    Mount m = mount(repository, blob, mountFrom);
                    if (m.mounted) {
                        listener.onProgress(id, new ProgressEvent.MountedFrom(mountFrom));
                        return PushOutcome.MOUNTED;
                    }
                    location = m.location;
                } else {
                    location = startUpload(repository);
                }
                if (blob.size() <= monolithicMax) {
                    putMonolithic(repository, blob, file, location, listener, id);
                } else {
                    putChunked(repository, blob, file, location, listener, id);
                }
                listener.onProgress(id, new ProgressEvent.PushComplete());
                return PushOutcome.UPLOADED;
            } catch (BerthException e) {
                if (e.category() != ErrorCategory.UNAVAILABLE || attempt >= retry.maxAttempts()) {
                    throw e;
                }
                listener.onProgress(id, new ProgressEvent.Retrying(attempt + 1, e.getMessage()));
                RetryPolicy.sleep(retry.delayAfter(attempt, null));
            }
        }
    }

    private record Mount(boolean mounted, HttpUrl location) {
    }

    private Mount mount(String repository, Descriptor blob, String from) {
        String target = "/v2/" + repository + "/blobs/uploads/?mount=" + blob.digest() + "&from=" + from;
        RegistryCaller.Call post = RegistryCaller.Call.to("POST", target, RequestBody.create(new byte[0]), true)
                .scope(RegistryAuthenticator.repositoryScope(repository, true), RegistryAuthenticator.repositoryScope(from, false))
                .accept(201, 202);
        try (Response r = caller.execute(post)) {
            // 202: the registry would not mount (no access to `from`, or it lacks the blob): upload instead.
            return new Mount(r.code() == 201, r.code() == 202 ? location(r) : null);
        }
    }

    private HttpUrl startUpload(String repository) {
        RegistryCaller.Call post = RegistryCaller.Call.to("POST", "/v2/" + repository + "/blobs/uploads/",
                        RequestBody.create(new byte[0]), true)
                .scope(RegistryAuthenticator.repositoryScope(repository, true)).accept(202);
        try (Response r = caller.execute(post)) {
            return location(r);
        }
    }

    /** The upload URL from Location, which the spec allows to be relative or absolute. */
    private HttpUrl location(Response r) {
        String loc = r.header("Location");
        HttpUrl u = loc == null ? null : r.request().url().resolve(loc);
        if (u == null) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "registry did not say where to upload (no Location header)");
        }
        return u;
    }

    private void putMonolithic(String repository, Descriptor blob, Path file, HttpUrl location,
                               ProgressListener listener, String id) {
        HttpUrl url = location.newBuilder().addQueryParameter("digest", blob.digest().toString()).build();
        RequestBody body = new FileRegionBody(file, 0, blob.size(), 0, blob.size(), listener, id);
        RegistryCaller.Call put = RegistryCaller.Call.to("PUT", url.toString(), body, false)
                .header("Content-Type", OCTET_STREAM.toString())
                .scope(RegistryAuthenticator.repositoryScope(repository, true)).accept(201, 204)
                .errors(uploadErrors(blob));
        caller.execute(put).close();
    }

    private void putChunked(String repository, Descriptor blob, Path file, HttpUrl location,
                            ProgressListener listener, String id) {
        HttpUrl next = location;
        for (long offset = 0; offset < blob.size(); offset += chunkSize) {
            long len = Math.min(chunkSize, blob.size() - offset);
            RequestBody body = new FileRegionBody(file, offset, len, offset, blob.size(), listener, id);
            RegistryCaller.Call patch = RegistryCaller.Call.to("PATCH", next.toString(), body, false)
                    .header("Content-Type", OCTET_STREAM.toString())
                    .header("Content-Range", offset + "-" + (offset + len - 1))
                    .scope(RegistryAuthenticator.repositoryScope(repository, true)).accept(202, 204)
                    .errors(uploadErrors(blob));
            try (Response r = caller.execute(patch)) {
                next = location(r);
            }
        }
        HttpUrl url = next.newBuilder().addQueryParameter("digest", blob.digest().toString()).build();
        RegistryCaller.Call put = RegistryCaller.Call.to("PUT", url.toString(), RequestBody.create(new byte[0]), false)
                .scope(RegistryAuthenticator.repositoryScope(repository, true)).accept(201, 204)
                .errors(uploadErrors(blob));
        caller.execute(put).close();
    }

    private static RegistryErrors.Translator uploadErrors(Descriptor blob) {
        return f -> new BerthException(RegistryErrors.categoryOf(f), "uploading blob " + blob.digest() + ": " + f.describe());
    }

    /** A file region as a request body; replayable, and reports upload progress. */
    private static final class FileRegionBody extends RequestBody {
        private final Path file;
        private final long offset;
        private final long length;
        private final long progressBase;
        private final long total;
        private final ProgressListener listener;
        private final String id;

        FileRegionBody(Path file, long offset, long length, long progressBase, long total, ProgressListener listener,
                       String id) {
            this.file = file;
            this.offset = offset;
            this.length = length;
            this.progressBase = progressBase;
            this.total = total;
            this.listener = listener;
            this.id = id;
        }

        @Override
        public MediaType contentType() {
            return OCTET_STREAM;
        }

        @Override
        public long contentLength() {
            return length;
        }

        @Override
        public void writeTo(BufferedSink sink) throws IOException {
            try (InputStream in = Files.newInputStream(file)) {
                in.skipNBytes(offset);
                byte[] buf = new byte[64 * 1024];
                long left = length;
                long sent = 0;
                long lastReported = 0;
                while (left > 0) {
                    int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                    if (n < 0) {
                        throw new IOException("blob file " + file + " is shorter than its size");
                    }
                    sink.write(buf, 0, n);
                    left -= n;
                    sent += n;
                    if (sent - lastReported >= PROGRESS_EVERY || left == 0) {
                        lastReported = sent;
                        listener.onProgress(id, new ProgressEvent.Pushing(progressBase + sent, total));
                    }
                }
            }
        }
    }
}
