package dev.berth.images.archive;

import dev.berth.images.Digest;

import java.util.List;

/**
 * One image found in a {@code docker save} tar or an OCI layout: its config and layer blobs (already
 * in the blob store) and the names it should carry.
 */
public record LoadedImage(Digest config, List<Digest> layerBlobs, List<String> repoTags) {
}
