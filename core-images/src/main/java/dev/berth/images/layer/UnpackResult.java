package dev.berth.images.layer;

import dev.berth.images.Digest;

/**
 * What unpacking a layer found.
 *
 * @param diffId sha256 of the whole uncompressed stream, trailing bytes after the tar's end included,
 *     which is what an image config's rootfs.diff_ids must list
 * @param uncompressedSize bytes in that stream
 * @param fileCount tar entries applied: files, directories, links, devices, whiteouts and opaque markers
 */
public record UnpackResult(Digest diffId, long uncompressedSize, long fileCount) {
}
