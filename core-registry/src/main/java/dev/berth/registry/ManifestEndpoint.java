package dev.berth.registry;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.MediaTypes;
import okhttp3.MediaType;
import okhttp3.RequestBody;
import okhttp3.Response;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

/** {@code /v2/<name>/manifests/<reference>}: HEAD, GET and PUT. */
final class ManifestEndpoint {
    /** containerd's limit: no real manifest comes near it, a hostile one could be endless. */
    static final int MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
    static final String ACCEPT = String.join(", ", MediaTypes.ACCEPTED_MANIFESTS);

    private final RegistryCaller caller;

    ManifestEndpoint(RegistryCaller caller) {
        this.caller = caller;
    }

    private String path(String repository, String reference) {
        return "/v2/" + repository + "/manifests/" + reference;
    }

    /** The descriptor the registry holds for a reference, without downloading it; empty if unknown. */
    Optional<Descriptor> head(String repository, String reference) {
        RegistryCaller.Call call = RegistryCaller.Call.head(path(repository, reference)).header("Accept", ACCEPT)
                .scope(RegistryAuthenticator.repositoryScope(repository, false)).accept(200, 404)
                .errors(pullErrors(repository, reference));
        try (Response r = caller.execute(call)) {
            if (r.code() == 404) {
                return Optional.empty();
            }
            String digest = r.header("Docker-Content-Digest");
            if (digest == null) {
                return Optional.empty();
            }
            long size = parseLong(r.header("Content-Length"));
            return Optional.of(Descriptor.of(stripParams(r.header("Content-Type")), Digest.parse(digest), size));
        }
    }

    ManifestResult get(String repository, String reference, ProgressListener listener) {
        RegistryCaller.Call call = RegistryCaller.Call.get(path(repository, reference)).header("Accept", ACCEPT)
                .scope(RegistryAuthenticator.repositoryScope(repository, false)).accept(200)
                .errors(pullErrors(repository, reference))
                .progress(listener, Digest.isValid(reference) ? Digest.parse(reference).shortHex() : reference);
        byte[] bytes;
        String contentType;
        String headerDigest;
        try (Response r = caller.execute(call); InputStream in = r.body().byteStream()) {
            bytes = in.readNBytes(MAX_MANIFEST_BYTES + 1);
            contentType = stripParams(r.header("Content-Type"));
            headerDigest = r.header("Docker-Content-Digest");
        } catch (IOException e) {
            throw new BerthException(ErrorCategory.UNAVAILABLE, "reading manifest " + reference + " from "
                    + caller.registry() + "/" + repository + ": " + e.getMessage(), e);
        }
        if (bytes.length > MAX_MANIFEST_BYTES) {
            throw BerthException.invalid("manifest " + reference + " is larger than " + MAX_MANIFEST_BYTES + " bytes");
        }
        Digest computed;
        if (Digest.isValid(reference)) {
            Digest wanted = Digest.parse(reference);
            computed = Digest.fromMessageDigest(wanted.algorithm(), wanted.algorithm().newMessageDigest().digest(bytes));
            if (!computed.equals(wanted)) {
                throw new BerthException(ErrorCategory.DATA_LOSS, "manifest verification failed for digest " + wanted
                        + ": registry sent content with digest " + computed);
            }
        } else {
            computed = Digest.sha256Of(bytes);
            if (headerDigest != null && Digest.isValid(headerDigest)) {
                Digest claimed = Digest.parse(headerDigest);
                if (claimed.algorithm() == computed.algorithm() && !claimed.equals(computed)) {
                    throw new BerthException(ErrorCategory.DATA_LOSS, "manifest for " + repository + ":" + reference
                            + " has digest " + computed + " but the registry's Docker-Content-Digest says " + claimed);
                }
            }
        }
        return new ManifestResult(bytes, contentType, computed);
    }

    /** PUT; returns the digest, checked against what the registry computed. */
    Digest put(String repository, String reference, byte[] bytes, String mediaType) {
        RequestBody body = RequestBody.create(bytes, MediaType.get(mediaType));
        RegistryCaller.Call call = RegistryCaller.Call.to("PUT", path(repository, reference), body, true)
                .scope(RegistryAuthenticator.repositoryScope(repository, true)).accept(200, 201)
                .errors(f -> new BerthException(RegistryErrors.categoryOf(f), f.describe()));
        Digest computed = Digest.sha256Of(bytes);
        try (Response r = caller.execute(call)) {
            String header = r.header("Docker-Content-Digest");
            if (header != null && Digest.isValid(header) && !Digest.parse(header).equals(computed)) {
                throw new BerthException(ErrorCategory.DATA_LOSS, "registry stored manifest " + reference + " as "
                        + header + " but its content has digest " + computed);
            }
        }
        return computed;
    }

    /**
     * moby's notFoundError wording: these are what `docker pull` users know and search for. The
     * reference shown is the familiar one ({@code localhost:5000/x:nope}).
     */
    RegistryErrors.Translator pullErrors(String repository, String reference) {
        String name = familiarName(repository);
        String full = name + (Digest.isValid(reference) ? "@" : ":") + reference;
        return f -> {
            String described = f.describe();
            if (f.hasCode("MANIFEST_UNKNOWN") || (f.status() == 404 && f.errors().isEmpty())) {
                return new BerthException(ErrorCategory.NOT_FOUND, "manifest for " + full + " not found: "
                        + (f.errors().isEmpty() ? "manifest unknown: manifest unknown" : described));
            }
            if (f.hasCode("NAME_UNKNOWN")) {
                return new BerthException(ErrorCategory.NOT_FOUND, "repository " + name + " not found: " + described);
            }
            if (f.hasCode("DENIED") || f.status() == 403) {
                return new BerthException(ErrorCategory.NOT_FOUND, "pull access denied for " + name
                        + ", repository does not exist or may require 'docker login': " + described);
            }
            if (f.status() == 401 && caller.authenticator().credential().isAnonymous()) {
                return new BerthException(ErrorCategory.UNAUTHORIZED, "pull access denied for " + name
                        + ", repository does not exist or may require 'docker login': " + described);
            }
            return RegistryErrors.DEFAULT.translate(f);
        };
    }

    String familiarName(String repository) {
        String registry = caller.registry();
        if (RegistryHosts.isDockerHub(registry)) {
            return ImageReference.parseNormalizedNamed(repository).familiarName();
        }
        return registry + "/" + repository;
    }

    static String stripParams(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }

    static long parseLong(String s) {
        try {
            return s == null ? -1 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return -1;
        }
    }
}
