package dev.berth.engine.images;

import dev.berth.images.Digest;

/**
 * An unpacked layer, keyed by its diffID, and the compressed blob it came from (null when it arrived
 * uncompressed, as from docker load; push then compresses it).
 */
public record LayerRecord(Digest diffId, long size, Digest blobDigest, String blobMediaType, long blobSize) {
}
