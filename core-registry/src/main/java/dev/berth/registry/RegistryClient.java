package dev.berth.registry;

import dev.berth.concurrent.Parallel;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageIndex;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.ManifestContent;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.manifest.Platform;
import dev.berth.images.store.BlobStore;
import okhttp3.OkHttpClient;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A client for one registry host (distribution spec v2). Thread-safe: pulls and pushes of several
 * blobs may run on it at once; the auth token cache and connection pool are shared.
 *
 * <p>Repositories are passed as the registry knows them ({@code library/busybox}), references as a
 * tag or a digest string.
 */
public final class RegistryClient {
    /** How deep an index may nest inside an index before we call it a loop. */
    static final int MAX_INDEX_DEPTH = 4;

    /** One pool and dispatcher for every client; each client only varies timeouts and TLS. */
    private static final OkHttpClient SHARED = new OkHttpClient.Builder().build();

    private final String registry;
    private final RegistryOptions options;
    private final RegistryCaller caller;
    private final ManifestEndpoint manifests;
    private final BlobPuller blobPuller;
    private final BlobPusher blobPusher;
    private final CatalogEndpoint catalog;

    private RegistryClient(String registry, RegistryOptions options, Credential credential) {
        this.registry = registry;
        this.options = options;
        boolean insecure = RegistryHosts.isInsecure(registry, options.insecureRegistries());
        OkHttpClient http = httpClient(options, insecure);
        RegistryAuthenticator auth = new RegistryAuthenticator(http, credential, options.retry(), Clock.systemUTC());
        this.caller = new RegistryCaller(registry, insecure, http, auth, options.retry());
        this.manifests = new ManifestEndpoint(caller);
        this.blobPuller = new BlobPuller(caller);
        this.blobPusher = new BlobPusher(caller, options.monolithicUploadMax(), options.uploadChunkSize());
        this.catalog = new CatalogEndpoint(caller);
    }

    /** A client for {@code registry} (host[:port]; {@code docker.io} means Docker Hub). */
    public static RegistryClient create(String registry, RegistryOptions options) {
        return new RegistryClient(registry, options, options.credentials().get(registry));
    }

    /**
     * Checks credentials against the registry as {@code docker login} does (POST /auth): a token
     * request with them for token-auth registries, an authenticated GET /v2/ for Basic ones. Stores
     * nothing; the caller decides whether to remember them.
     *
     * @throws BerthException UNAUTHORIZED when the registry rejects them
     */
    public static LoginResult login(String registry, String username, String password, RegistryOptions options) {
        RegistryClient client = new RegistryClient(registry, options, Credential.basic(username, password));
        client.caller.ping();
        RegistryAuthenticator auth = client.caller.authenticator();
        AuthChallenge challenge = auth.challenge();
        if (challenge != null && challenge.isBearer()) {
            RegistryAuthenticator.Token t = auth.login();
            return new LoginResult(LoginResult.SUCCEEDED, t.refreshToken());
        }
        if (challenge != null) {
            RegistryCaller.Call check = RegistryCaller.Call.get("/v2/").accept(200);
            client.caller.execute(check).close();
        }
        return new LoginResult(LoginResult.SUCCEEDED, null);
    }

    private static OkHttpClient httpClient(RegistryOptions options, boolean insecure) {
        OkHttpClient.Builder b = SHARED.newBuilder()
                .followRedirects(false) // RegistryCaller follows them, minding where credentials go
                .followSslRedirects(false)
                .connectTimeout(options.connectTimeout())
                .readTimeout(options.readTimeout())
                .writeTimeout(options.readTimeout())
                .addInterceptor(chain -> chain.proceed(chain.request().newBuilder()
                        .header("User-Agent", options.userAgent()).build()));
        if (insecure) {
            // Docker's meaning of "insecure registry": TLS if offered, but unverified.
            b.sslSocketFactory(InsecureTls.context().getSocketFactory(), InsecureTls.TRUST_ALL)
                    .hostnameVerifier((host, session) -> true);
        }
        return b.build();
    }

    public String registry() {
        return registry;
    }

    public RegistryOptions options() {
        return options;
    }

    /** GET /v2/: checks the registry is reachable and learns its auth scheme. */
    public void ping() {
        caller.ping();
    }

    // ---- manifests ----

    /** HEAD a manifest: its descriptor (from Docker-Content-Digest), or empty if the registry lacks it. */
    public Optional<Descriptor> headManifest(String repository, String reference) {
        return manifests.head(repository, reference);
    }

    /**
     * GET a manifest or index, accepting all four manifest media types. When {@code reference} is a
     * digest the bytes are verified against it; for a tag, against Docker-Content-Digest if sent.
     */
    public ManifestResult getManifest(String repository, String reference) {
        return manifests.get(repository, reference, ProgressListener.NONE);
    }

    /** PUT a manifest under a tag (or its digest); returns its digest. */
    public Digest putManifest(String repository, String reference, byte[] manifest, String mediaType) {
        return manifests.put(repository, reference, manifest, mediaType);
    }

    /**
     * Resolves a reference to the image manifest for {@code platform}: an index is walked with
     * {@link ImageIndex#select}, which skips attestation manifests.
     */
    public ResolvedImage resolve(ImageReference reference, Platform platform) {
        return resolve(reference, platform, ProgressListener.NONE);
    }

    /** {@link #resolve(ImageReference, Platform)}, reporting retries of manifest requests. */
    public ResolvedImage resolve(ImageReference reference, Platform platform, ProgressListener listener) {
        checkRegistry(reference);
        String repo = reference.repository();
        ManifestResult top = manifests.get(repo, reference.manifestReference(), listener);
        ManifestResult current = top;
        ManifestContent content = current.parse();
        for (int depth = 0; content instanceof ImageIndex index; depth++) {
            if (depth >= MAX_INDEX_DEPTH) {
                throw BerthException.invalid("manifest for " + reference.familiarString() + " nests indexes more than "
                        + MAX_INDEX_DEPTH + " deep");
            }
            Descriptor chosen = index.selectOrThrow(platform, reference.familiarString());
            current = manifests.get(repo, chosen.digest().toString(), listener);
            if (chosen.size() > 0 && chosen.size() != current.bytes().length) {
                throw new BerthException(ErrorCategory.DATA_LOSS, "manifest " + chosen.digest() + " is "
                        + current.bytes().length + " bytes but the index says " + chosen.size());
            }
            content = current.parse();
        }
        return new ResolvedImage(reference, top.digest(), current, (ImageManifest) content, current == top ? null : top);
    }

    private void checkRegistry(ImageReference reference) {
        if (!reference.registry().equals(registry)) {
            throw BerthException.invalid("reference " + reference + " is not on registry " + registry);
        }
    }

    // ---- blobs ----

    /** Downloads a blob into the store (verified, atomic). Returns false if it was already there. */
    public boolean fetchBlob(String repository, Descriptor blob, BlobStore store) throws IOException {
        return blobPuller.fetch(repository, blob, store, ProgressListener.NONE, null);
    }

    /** {@link #fetchBlob(String, Descriptor, BlobStore)} with progress events for the blob's short digest. */
    public boolean fetchBlob(String repository, Descriptor blob, BlobStore store, ProgressListener listener)
            throws IOException {
        return blobPuller.fetch(repository, blob, store, listener, null);
    }

    /**
     * Downloads a blob into the store while handing its bytes to {@code consumer} as they arrive; see
     * {@link BlobStreamConsumer} for what EOF and errors mean on that stream.
     */
    public boolean fetchBlob(String repository, Descriptor blob, BlobStore store, ProgressListener listener,
                             BlobStreamConsumer consumer) throws IOException {
        return blobPuller.fetch(repository, blob, store, listener, consumer);
    }

    public boolean blobExists(String repository, Descriptor blob) {
        return blobPusher.exists(repository, blob);
    }

    /**
     * Uploads a blob from the store unless the repository has it. With {@code mountFrom} (a repository
     * on this registry known to hold the blob) it asks for a cross-repository mount first.
     */
    public PushOutcome pushBlob(String repository, Descriptor blob, BlobStore store, String mountFrom,
                                ProgressListener listener) {
        return blobPusher.push(repository, blob, store, mountFrom, listener);
    }

    // ---- whole images ----

    /**
     * Resolves and downloads an image: every blob, {@code parallelism} at a time, into the store; the
     * manifests too (they are content-addressed blobs as well).
     */
    public ResolvedImage pull(ImageReference reference, Platform platform, BlobStore store, ProgressListener listener)
            throws IOException {
        listener.onProgress(reference.tag().orElse(reference.manifestReference()),
                new ProgressEvent.Resolving(reference.familiarString()));
        ResolvedImage image = resolve(reference, platform, listener);
        store.put(image.manifest().bytes());
        if (image.index() != null) {
            store.put(image.index().bytes());
        }
        List<Descriptor> blobs = image.blobs();
        blobs.forEach(d -> listener.onProgress(ProgressEvent.idOf(d.digest()), new ProgressEvent.Waiting()));
        Parallel.forEach(blobs, options.parallelism(), d -> fetchBlob(reference.repository(), d, store, listener));
        return image;
    }

    /**
     * Pushes an image whose manifest and blobs are in {@code store}: blobs first ({@code parallelism} at a
     * time), then, for an index, its child manifests by digest, then the manifest under the tag.
     */
    public Digest push(ImageReference target, Digest manifestDigest, String mediaType, BlobStore store, String mountFrom,
                       ProgressListener listener) throws IOException {
        checkRegistry(target);
        pushManifestTree(target.repository(), manifestDigest, mediaType, store, mountFrom, listener, 0);
        byte[] bytes = store.read(manifestDigest);
        return putManifest(target.repository(), target.tag().orElse(manifestDigest.toString()), bytes, mediaType);
    }

    private void pushManifestTree(String repo, Digest digest, String mediaType, BlobStore store, String mountFrom,
                                  ProgressListener listener, int depth) throws IOException {
        ManifestContent content = new ManifestResult(store.read(digest), mediaType, digest).parse();
        if (content instanceof ImageManifest m) {
            List<Descriptor> blobs = new ArrayList<>(m.layers());
            blobs.add(m.config());
            Parallel.forEach(blobs, options.parallelism(), d -> pushBlob(repo, d, store, mountFrom, listener));
        } else if (content instanceof ImageIndex index) {
            if (depth >= MAX_INDEX_DEPTH) {
                throw BerthException.invalid("index " + digest + " nests too deep");
            }
            for (Descriptor child : index.manifests()) {
                if (!MediaTypes.isImageManifest(child.mediaType()) && !MediaTypes.isIndex(child.mediaType())) {
                    continue;
                }
                pushManifestTree(repo, child.digest(), child.mediaType(), store, mountFrom, listener, depth + 1);
                putManifest(repo, child.digest().toString(), store.read(child.digest()), child.mediaType());
            }
        }
    }

    // ---- browsing ----

    /** One page of {@code /v2/_catalog}; {@code n <= 0} lets the registry choose the page size. */
    public Page<String> catalogPage(int n, String last) {
        return catalog.catalogPage(CatalogEndpoint.firstTarget("/v2/_catalog", n, last));
    }

    /** Every repository after {@code last}, fetched {@code n} at a time following Link headers. */
    public List<String> catalog(int n, String last) {
        return catalog.all(CatalogEndpoint.firstTarget("/v2/_catalog", n, last), catalog::catalogPage);
    }

    public Page<String> tagsPage(String repository, int n, String last) {
        return catalog.tagsPage(repository, CatalogEndpoint.firstTarget("/v2/" + repository + "/tags/list", n, last));
    }

    public List<String> tags(String repository, int n, String last) {
        return catalog.all(CatalogEndpoint.firstTarget("/v2/" + repository + "/tags/list", n, last),
                t -> catalog.tagsPage(repository, t));
    }

    /** A page of the catalog at a {@code Link} target a previous page gave. */
    public Page<String> catalogPageAt(String next) {
        return catalog.catalogPage(next);
    }

    public Page<String> tagsPageAt(String repository, String next) {
        return catalog.tagsPage(repository, next);
    }

    /** Browsing on this client's connection, auth and retries. */
    public RegistryBrowser browser() {
        return new RegistryBrowser(this, caller);
    }

    /** Tokens cached by this client; exposed for tests of the scope cache. */
    int cachedTokens() {
        return caller.authenticator().cachedTokenCount();
    }
}
