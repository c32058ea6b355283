package dev.berth.registry;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.Json;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageIndex;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.ManifestContent;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.manifest.Platform;
import okhttp3.Response;

import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Browsing a registry as a front end shows it: repositories (or the registry's refusal to list them),
 * tags page by page, what each tag is, and deleting a tag where the registry allows it. Built on one
 * {@link RegistryClient}, so auth, retries and error wording are the pull path's.
 */
public final class RegistryBrowser {
    /** Repositories and tags per page: the distribution default. */
    public static final int PAGE_SIZE = 100;
    /** An image config is a few KB; this bounds a hostile one. */
    static final int MAX_CONFIG_BYTES = 4 * 1024 * 1024;

    private final RegistryClient client;
    private final RegistryCaller caller;

    RegistryBrowser(RegistryClient client, RegistryCaller caller) {
        this.client = client;
        this.caller = caller;
    }

    public String registry() {
        return client.registry();
    }

    /**
     * One page of {@code /v2/_catalog} after {@code last}, or a refusal. Docker Hub always refuses; so
     * does any registry answering the catalog with 401/403 to a signed-in user, 404 or 405.
     *
     * @throws BerthException UNAUTHORIZED when the catalog needs a sign-in we do not have; UNAVAILABLE
     *                        when the registry cannot be reached
     */
    public RepositoryListing repositories(int n, String last) {
        if (RegistryHosts.isDockerHub(client.registry())) {
            return new RepositoryListing.Refused("Docker Hub does not list its repositories: search by name instead");
        }
        try {
            return new RepositoryListing.Listed(client.catalogPage(n, last));
        } catch (BerthException e) {
            boolean anonymous = caller.authenticator().credential().isAnonymous();
            return switch (e.category()) {
                case UNAUTHORIZED -> {
                    if (anonymous) {
                        throw new BerthException(ErrorCategory.UNAUTHORIZED, "sign in to " + client.registry()
                                + " to list its repositories", e);
                    }
                    if (!credentialsAccepted()) {
                        throw new BerthException(ErrorCategory.UNAUTHORIZED, "unauthorized: incorrect username or password"
                                + " for " + client.registry(), e);
                    }
                    yield new RepositoryListing.Refused(client.registry()
                            + " does not let this account list its repositories: search by name instead");
                }
                case FORBIDDEN, NOT_FOUND, NOT_IMPLEMENTED -> new RepositoryListing.Refused(client.registry()
                        + " does not list its repositories: search by name instead");
                default -> throw e;
            };
        }
    }

    /**
     * Whether a 401 meant "wrong credentials" rather than "not for you": Basic registries answer 401 only
     * to bad credentials; token registries are asked for an unscoped token, as {@code docker login} does.
     */
    private boolean credentialsAccepted() {
        AuthChallenge c = caller.authenticator().challenge();
        if (c == null || !c.isBearer()) {
            return false;
        }
        try {
            caller.authenticator().login();
            return true;
        } catch (BerthException e) {
            if (e.category() == ErrorCategory.UNAUTHORIZED) {
                return false;
            }
            throw e;
        }
    }

    /** The next page of a listing, from the {@code Link} the previous page carried. */
    public RepositoryListing repositoriesAt(String next) {
        return new RepositoryListing.Listed(client.catalogPageAt(next));
    }

    public Page<String> tags(String repository, int n, String last) {
        return client.tagsPage(repository, n, last);
    }

    public Page<String> tagsAt(String repository, String next) {
        return client.tagsPageAt(repository, next);
    }

    /**
     * What {@code repository:tag} is: digest, size, platforms, created. For an index, the image shown
     * is the host's platform when present, else the first runnable one.
     */
    public TagDetails details(String repository, String tag) {
        ManifestResult top = client.getManifest(repository, tag);
        ManifestContent content = top.parse();
        List<String> platforms = new ArrayList<>();
        ImageManifest image = null;
        if (content instanceof ImageIndex index) {
            Descriptor shown = null;
            for (Descriptor d : index.manifests() == null ? List.<Descriptor>of() : index.manifests()) {
                if (d.isAttestation() || !MediaTypes.isImageManifest(d.mediaType())) {
                    continue;
                }
                platforms.add(d.platform() == null ? "unknown" : d.platform().toString());
                if (shown == null) {
                    shown = d;
                }
            }
            Descriptor host = index.select(Platform.host()).orElse(shown);
            if (host != null && MediaTypes.isImageManifest(host.mediaType())) {
                ManifestContent child = client.getManifest(repository, host.digest().toString()).parse();
                if (child instanceof ImageManifest m) {
                    image = m;
                }
            }
        } else {
            image = (ImageManifest) content;
        }
        long size = -1;
        Optional<Instant> created = Optional.empty();
        if (image != null) {
            size = image.config() == null ? 0 : image.config().size();
            for (Descriptor l : image.layers() == null ? List.<Descriptor>of() : image.layers()) {
                size += Math.max(0, l.size());
            }
            if (image.config() != null) {
                created = createdOf(fetchSmallBlob(repository, image.config()));
            }
        }
        return new TagDetails(tag, top.digest(), top.mediaType(), size, platforms, created);
    }

    static Optional<Instant> createdOf(byte[] config) {
        try {
            JsonNode json = Json.MAPPER.readTree(config);
            String created = json == null ? null : json.path("created").asText(null);
            return created == null || created.isEmpty() ? Optional.empty() : Optional.of(Instant.parse(created));
        } catch (IOException | DateTimeParseException e) {
            return Optional.empty();
        }
    }

    /** GET a small blob into memory, verified against its digest. */
    byte[] fetchSmallBlob(String repository, Descriptor blob) {
        if (blob.size() > MAX_CONFIG_BYTES) {
            throw BerthException.invalid("config " + blob.digest() + " is larger than " + MAX_CONFIG_BYTES + " bytes");
        }
        RegistryCaller.Call call = RegistryCaller.Call.get("/v2/" + repository + "/blobs/" + blob.digest())
                .scope(RegistryAuthenticator.repositoryScope(repository, false)).accept(200);
        byte[] bytes;
        try (Response r = caller.execute(call); InputStream in = r.body().byteStream()) {
            bytes = in.readNBytes(MAX_CONFIG_BYTES + 1);
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "reading " + blob.digest() + " from "
                    + client.registry() + "/" + repository + ": " + e.getMessage(), e);
        }
        Digest wanted = blob.digest();
        Digest got = Digest.fromMessageDigest(wanted.algorithm(), wanted.algorithm().newMessageDigest().digest(bytes));
        if (!got.equals(wanted)) {
            throw new BerthException(ErrorCategory.DATA_LOSS, "blob " + wanted + " from " + client.registry()
                    + " has digest " + got);
        }
        return bytes;
    }

    /**
     * Deletes the manifest {@code tag} points at (the distribution API deletes by digest, so every tag
     * on that digest goes with it). Returns the digest deleted.
     *
     * @throws BerthException NOT_IMPLEMENTED when the registry does not allow deleting; NOT_FOUND when
     *                        the tag does not exist
     */
    public Digest deleteTag(String repository, String tag) {
        Descriptor d = client.headManifest(repository, tag).orElseThrow(() -> new BerthException(ErrorCategory.NOT_FOUND,
                "tag " + tag + " not found in " + client.registry() + "/" + repository));
        RegistryCaller.Call call = RegistryCaller.Call.to("DELETE", "/v2/" + repository + "/manifests/" + d.digest(),
                        null, true)
                .scope(RegistryAuthenticator.repositoryScope(repository, false), "repository:" + repository + ":delete")
                .accept(200, 202)
                .errors(f -> {
                    if (f.status() == 405 || f.hasCode("UNSUPPORTED")) {
                        return new BerthException(ErrorCategory.NOT_IMPLEMENTED, client.registry()
                                + " does not allow deleting images (its operator has turned deletion off)");
                    }
                    if (f.status() == 401 || f.status() == 403 || f.hasCode("DENIED")) {
                        return new BerthException(ErrorCategory.FORBIDDEN, "not allowed to delete "
                                + repository + ":" + tag + " on " + client.registry() + ": " + f.describe());
                    }
                    return RegistryErrors.DEFAULT.translate(f);
                });
        caller.execute(call).close();
        return d.digest();
    }

    /** Docker Hub's {@code ratelimit-remaining} (e.g. {@code 97;w=21600}) from the latest reply, if sent. */
    public Optional<String> rateLimitRemaining() {
        return Optional.ofNullable(caller.rateLimitRemaining());
    }
}
