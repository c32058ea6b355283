package dev.berth.registry;

import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageManifest;

import java.util.ArrayList;
import java.util.List;

/**
 * The single-platform image a reference resolved to.
 *
 * @param digest   the digest of what the reference names (the index for a multi-platform image):
 *                 what Docker records in RepoDigests
 * @param manifest the platform's image manifest, raw
 * @param image    {@code manifest} parsed
 * @param index    the index the reference named, raw, or null when it named the manifest itself
 */
public record ResolvedImage(ImageReference reference, Digest digest, ManifestResult manifest, ImageManifest image,
                            ManifestResult index) {
    /** The config first, then the layers: every blob a pull needs. */
    public List<Descriptor> blobs() {
        List<Descriptor> all = new ArrayList<>();
        all.add(image.config());
        all.addAll(image.layers());
        return all;
    }
}
