package dev.berth.images.manifest;

/** What a manifest blob parses to: an image manifest or an index. */
public sealed interface ManifestContent permits ImageManifest, ImageIndex {
    String mediaType();
}
