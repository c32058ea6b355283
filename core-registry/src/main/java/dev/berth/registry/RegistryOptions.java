package dev.berth.registry;

import java.time.Duration;
import java.util.Set;

/**
 * How a {@link RegistryClient} talks to registries. Immutable; the {@code with…} methods return copies.
 *
 * @param insecureRegistries hosts (with port, as in daemon.json's insecure-registries) where TLS is not
 *                           verified and plain HTTP is allowed; loopback hosts always are, as in Docker
 * @param parallelism        how many blobs a pull or push moves at once
 * @param monolithicUploadMax blobs up to this size go up in one PUT; larger ones in PATCH chunks
 * @param uploadChunkSize    the size of each PATCH chunk
 */
public record RegistryOptions(
        Set<String> insecureRegistries,
        int parallelism,
        RetryPolicy retry,
        CredentialStore credentials,
        Duration connectTimeout,
        Duration readTimeout,
        long monolithicUploadMax,
        long uploadChunkSize,
        String userAgent) {

    public static final int DEFAULT_PARALLELISM = 3;
    /** docker and containerd upload whole layers at once; chunking pays only for very large blobs. */
    public static final long DEFAULT_MONOLITHIC_UPLOAD_MAX = 64L * 1024 * 1024;
    public static final long DEFAULT_UPLOAD_CHUNK_SIZE = 16L * 1024 * 1024;
    public static final String DEFAULT_USER_AGENT = "berth/0.1";

    public RegistryOptions {
        insecureRegistries = Set.copyOf(insecureRegistries);
        if (parallelism < 1) {
            throw new IllegalArgumentException("parallelism must be at least 1");
        }
        if (uploadChunkSize < 1) {
            throw new IllegalArgumentException("upload chunk size must be positive");
        }
    }

    /** Docker's defaults, credentials from ~/.docker/config.json (or $DOCKER_CONFIG). */
    public static RegistryOptions defaults() {
        return new RegistryOptions(Set.of(), DEFAULT_PARALLELISM, RetryPolicy.DEFAULT, CredentialStore.fromEnvironment(),
                Duration.ofSeconds(30), Duration.ofSeconds(60), DEFAULT_MONOLITHIC_UPLOAD_MAX, DEFAULT_UPLOAD_CHUNK_SIZE,
                DEFAULT_USER_AGENT);
    }

    public RegistryOptions withInsecureRegistries(Set<String> hosts) {
        return new RegistryOptions(hosts, parallelism, retry, credentials, connectTimeout, readTimeout,
                monolithicUploadMax, uploadChunkSize, userAgent);
    }

    public RegistryOptions withParallelism(int n) {
        return new RegistryOptions(insecureRegistries, n, retry, credentials, connectTimeout, readTimeout,
                monolithicUploadMax, uploadChunkSize, userAgent);
    }

    public RegistryOptions withRetry(RetryPolicy policy) {
        return new RegistryOptions(insecureRegistries, parallelism, policy, credentials, connectTimeout, readTimeout,
                monolithicUploadMax, uploadChunkSize, userAgent);
    }

    public RegistryOptions withCredentials(CredentialStore store) {
        return new RegistryOptions(insecureRegistries, parallelism, retry, store, connectTimeout, readTimeout,
                monolithicUploadMax, uploadChunkSize, userAgent);
    }

    public RegistryOptions withTimeouts(Duration connect, Duration read) {
        return new RegistryOptions(insecureRegistries, parallelism, retry, credentials, connect, read,
                monolithicUploadMax, uploadChunkSize, userAgent);
    }

    public RegistryOptions withUploadChunking(long monolithicMax, long chunkSize) {
        return new RegistryOptions(insecureRegistries, parallelism, retry, credentials, connectTimeout, readTimeout,
                monolithicMax, chunkSize, userAgent);
    }
}
