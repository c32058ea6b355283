package dev.berth.engine.images;

import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.layer.LayerUnpacker;
import dev.berth.images.layer.UnpackResult;
import dev.berth.images.manifest.MediaTypes.Compression;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

/**
 * Unpacks one layer stream into the layer store: into a staging directory, checked against the diffID
 * the image config promises, and only then published. A failure leaves nothing behind.
 */
public final class LayerImporter {
    private final LayerStore layers;
    private final LayerUnpacker unpacker = new LayerUnpacker();

    public LayerImporter(LayerStore layers) {
        this.layers = layers;
    }

    /**
     * @param compression as the media type says, or null to judge by the bytes
     * @return the uncompressed size of the layer
     */
    public long importLayer(InputStream blob, Compression compression, Digest expectedDiffId) throws IOException {
        Path staging = layers.newStagingDir();
        boolean published = false;
        try {
            UnpackResult result = unpacker.unpack(blob, compression, staging);
            if (!result.diffId().equals(expectedDiffId)) {
                throw new BerthException(ErrorCategory.DATA_LOSS, "layer content does not match the image config: diffID "
                        + result.diffId() + ", expected " + expectedDiffId);
            }
            layers.commit(staging, expectedDiffId);
            published = true;
            return result.uncompressedSize();
        } finally {
            if (!published) {
                dev.berth.images.layer.LayerDirs.deleteRecursively(staging);
            }
        }
    }
}
