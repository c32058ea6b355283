package dev.berth.registry;

import dev.berth.images.Digest;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ManifestContent;
import dev.berth.images.manifest.Manifests;

/**
 * A manifest exactly as the registry sent it. The bytes are kept raw because the digest is of the
 * bytes: re-serialising would change it.
 *
 * @param mediaType the Content-Type the registry declared (parameters stripped)
 * @param digest    the sha256 of {@code bytes}, checked against the reference or Docker-Content-Digest
 */
public record ManifestResult(byte[] bytes, String mediaType, Digest digest) {
    public ManifestContent parse() {
        return Manifests.parse(bytes, mediaType);
    }

    public Descriptor descriptor() {
        return Descriptor.of(mediaType, digest, bytes.length);
    }
}
