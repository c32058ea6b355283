package dev.berth.images.testing;

import dev.berth.images.Digest;
import dev.berth.images.manifest.Descriptor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A complete image, as bytes, ready to push or import. For a single-platform image {@code children} is
 * empty; for an index, {@code manifest} is the index and {@code children} are the manifests it lists
 * (the runnable image first, then any attestation), each carrying its own config and layers.
 *
 * @param layers layer blobs in manifest order (compressed bytes, keyed by their digest)
 * @param diffIds digests of the uncompressed layer tars, in the same order
 */
public record ImageFixture(
        String mediaType,
        byte[] manifest,
        Digest digest,
        byte[] config,
        Digest configDigest,
        Map<Digest, byte[]> layers,
        List<Digest> diffIds,
        List<ImageFixture> children) {

    public boolean isIndex() {
        return !children.isEmpty();
    }

    /** The descriptor a parent (an index, a registry tag) uses to point at this manifest. */
    public Descriptor descriptor() {
        return Descriptor.of(mediaType, digest, manifest.length);
    }

    /** The runnable single-platform image: itself, or an index's first child. */
    public ImageFixture image() {
        return isIndex() ? children.getFirst() : this;
    }

    /** Every blob (configs and layers, of children too), excluding manifests. */
    public Map<Digest, byte[]> blobs() {
        Map<Digest, byte[]> all = new LinkedHashMap<>();
        if (config != null) {
            all.put(configDigest, config);
        }
        all.putAll(layers);
        for (ImageFixture child : children) {
            all.putAll(child.blobs());
        }
        return all;
    }
}
