/**
 * The OCI distribution client: how Berth talks to registries.
 *
 * <h2>Shape</h2>
 * {@link dev.berth.registry.RegistryClient} is the facade, one per registry host. Behind it, one class per
 * endpoint concern ({@code ManifestEndpoint}, {@code BlobPuller}, {@code BlobPusher}, {@code CatalogEndpoint})
 * builds requests; {@code RegistryCaller} is the only class that sends them (scheme, auth, redirects,
 * retries, status-to-error mapping); {@code RegistryAuthenticator} answers auth challenges;
 * {@link dev.berth.registry.RegistryErrors} words failures as Docker does.
 *
 * <h2>Decisions</h2>
 * <ul>
 * <li><b>Plain HTTP.</b> Only loopback registries (localhost, 127.0.0.0/8, ::1) and those in
 *     {@link dev.berth.registry.RegistryOptions#insecureRegistries()} may use it. For those the first ping
 *     tries HTTPS without certificate checks and falls back to HTTP on any failure to speak TLS (refused,
 *     handshake error, no answer), as dockerd does for insecure registries; the choice is kept for the
 *     client's life. Everything else is HTTPS with verified certificates, with no fallback.</li>
 * <li><b>Credentials stay home.</b> OkHttp's redirect following is off; {@code RegistryCaller} follows
 *     redirects itself and drops {@code Authorization} whenever a hop leaves the registry's host and port
 *     (blob downloads are redirected to storage hosts). Basic credentials go to the registry and to the
 *     token realm it names, nowhere else. Nothing in this package logs, and
 *     {@link dev.berth.registry.Credential#toString()} hides secrets.</li>
 * <li><b>Retries.</b> {@link dev.berth.registry.RetryPolicy} names the numbers: attempts, exponential
 *     backoff with jitter, statuses 408/429/5xx, network resets; {@code Retry-After} is honoured up to a
 *     ceiling. A 401 triggers at most {@code RegistryCaller.MAX_AUTH_REFRESHES} token refreshes. Uploads
 *     that fail part-way restart from a new session.</li>
 * <li><b>Blob integrity.</b> Blobs stream into {@link dev.berth.images.store.BlobStore#ensure}, which verifies
 *     size and digest before an atomic rename, so nothing partial or wrong is ever stored. A connection lost
 *     mid-blob resumes with {@code Range} (206), or skips what it already has if the server ignores Range.
 *     A body that ends cleanly but short is the server's word and fails as truncated (DATA_LOSS).</li>
 * <li><b>Unpacking while downloading.</b> A {@link dev.berth.registry.BlobStreamConsumer} sees each byte
 *     exactly once, because retries resume rather than restart; so it never has to start over. EOF on its
 *     stream means verified and committed; a failure (including a digest mismatch) surfaces as an
 *     IOException from {@code read}, and the consumer must discard what it produced.</li>
 * </ul>
 */
package dev.berth.registry;
