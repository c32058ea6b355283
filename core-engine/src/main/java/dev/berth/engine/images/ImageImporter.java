package dev.berth.engine.images;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.engine.containers.CommitChanges;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Digest;
import dev.berth.images.ImageReference;
import dev.berth.images.Json;
import dev.berth.images.archive.Compressions;
import dev.berth.images.layer.LayerDirs;
import dev.berth.images.layer.LayerUnpacker;
import dev.berth.images.layer.UnpackResult;
import dev.berth.images.manifest.Descriptor;
import dev.berth.images.manifest.ImageManifest;
import dev.berth.images.manifest.MediaTypes;
import dev.berth.images.manifest.Platform;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;

/**
 * {@code docker import}: one tarball (plain or compressed) becomes the single layer of a new image whose
 * config holds only the platform, the {@code --change} instructions and the message, as moby's
 * {@code ImportImage} builds it. The tar is unpacked through the same unpacker (and containment checks)
 * as pulled layers while a copy of the uncompressed bytes is kept as the layer blob; nothing is
 * published until the whole tar unpacked, so a bad or hostile tar leaves no layer, blob or image.
 */
public final class ImageImporter {
    private final ImageService images;
    private final LayerUnpacker unpacker = new LayerUnpacker();

    public ImageImporter(ImageService images) {
        this.images = images;
    }

    public record Request(String repo, String tag, String comment, List<String> changes, Platform platform) {
    }

    /**
     * Checks the reference and the {@code --change} instructions as {@link #importImage} does first, for
     * a caller that must fetch the tarball before it can be imported: a typo costs no download.
     */
    public void check(Request rq) {
        reference(rq.repo(), rq.tag());
        CommitChanges.apply(Json.MAPPER.createObjectNode(), rq.changes() == null ? List.of() : rq.changes());
    }

    /** @return the new image's ID */
    public Digest importImage(InputStream tarball, Request rq) throws IOException {
        ImageReference ref = reference(rq.repo(), rq.tag());
        ObjectNode config = Json.MAPPER.createObjectNode();
        // Validated before any byte is read, so a typo in --change costs nothing.
        CommitChanges.apply(config, rq.changes() == null ? List.of() : rq.changes());
        return images.holdingContent(() -> {
            Path copy = images.blobs().newStagingFile("import");
            Path staging = images.layers().newStagingDir();
            boolean published = false;
            try {
                UnpackResult result;
                try (InputStream tar = decompressed(tarball);
                     OutputStream out = Files.newOutputStream(copy, StandardOpenOption.CREATE_NEW)) {
                    result = unpacker.unpack(new TeeInputStream(tar, out), MediaTypes.Compression.NONE, staging);
                } catch (BerthException e) {
                    throw e;
                } catch (IOException e) {
                    // A corrupt compressed stream or a body cut short: the client's input, not our failure.
                    throw BerthException.invalid("Error processing tar file: " + e.getMessage());
                }
                Digest diffId = result.diffId();
                images.layers().commit(staging, diffId);
                published = true;
                // The copy is the uncompressed tar the unpacker hashed, byte for byte: its digest is the diffID.
                long size = Files.size(copy);
                if (size != result.uncompressedSize()) {
                    throw new IllegalStateException("the import's copy has " + size
                            + " bytes, the tar the unpacker hashed " + result.uncompressedSize());
                }
                Digest blob = images.blobs().publishHashed(copy, diffId);
                return register(config, rq, ref, new LayerRecord(diffId, size, blob, MediaTypes.OCI_LAYER, size));
            } finally {
                Files.deleteIfExists(copy);
                if (!published) {
                    LayerDirs.deleteRecursively(staging);
                }
            }
        });
    }

    /** Any of docker's compressions; a corrupt header is the client's input, said as before. */
    private static InputStream decompressed(InputStream tarball) throws IOException {
        try {
            return Compressions.decompressStream(tarball);
        } catch (IOException e) {
            throw BerthException.invalid("cannot decompress the imported archive: " + e.getMessage());
        }
    }

    private Digest register(ObjectNode config, Request rq, ImageReference ref, LayerRecord layer) throws IOException {
        Platform p = rq.platform() == null ? Platform.host() : rq.platform();
        String now = Instant.now().toString();
        ObjectNode cfg = Json.MAPPER.createObjectNode();
        cfg.put("architecture", p.architecture());
        if (p.variant() != null) {
            cfg.put("variant", p.variant());
        }
        cfg.put("os", p.os());
        cfg.put("created", now);
        if (rq.comment() != null && !rq.comment().isEmpty()) {
            cfg.put("comment", rq.comment());
        }
        cfg.set("config", config);
        ObjectNode rootfs = cfg.putObject("rootfs");
        rootfs.put("type", "layers");
        rootfs.putArray("diff_ids").add(layer.diffId().toString());
        ArrayNode history = cfg.putArray("history");
        ObjectNode h = history.addObject();
        h.put("created", now);
        if (rq.comment() != null && !rq.comment().isEmpty()) {
            h.put("comment", rq.comment());
        }
        byte[] configBytes = Json.MAPPER.writeValueAsBytes(cfg);
        Digest configDigest = images.blobs().put(configBytes);
        byte[] manifest = Json.MAPPER.writeValueAsBytes(ImageManifest.oci(
                Descriptor.of(MediaTypes.OCI_CONFIG, configDigest, configBytes.length),
                List.of(Descriptor.of(MediaTypes.OCI_LAYER, layer.blobDigest(), layer.blobSize()))));
        Digest manifestDigest = images.blobs().put(manifest);
        images.register(configDigest, manifestDigest, MediaTypes.OCI_MANIFEST, List.of(layer),
                ref == null ? List.of() : List.of(ref.toString()));
        return configDigest;
    }

    /** moby's {@code RepoTagReference}: no repo means an untagged image; a digest cannot be a tag. */
    static ImageReference reference(String repo, String tag) {
        if (repo == null || repo.isEmpty()) {
            return null;
        }
        ImageReference target = ImageReference.parseNormalizedNamed(repo);
        if (target.digest().isPresent()) {
            throw BerthException.invalid("cannot import digest reference");
        }
        if (tag != null && !tag.isEmpty()) {
            return target.repositoryOnly().withTag(tag);
        }
        return target.tag().isPresent() ? target : target.withTag(ImageReference.DEFAULT_TAG);
    }

    /** Copies what is read to {@code out}: the layer blob is exactly the tar the unpacker saw. */
    private static final class TeeInputStream extends FilterInputStream {
        private final OutputStream out;

        TeeInputStream(InputStream in, OutputStream out) {
            super(in);
            this.out = out;
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                copy(new byte[] {(byte) b}, 0, 1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                copy(b, off, n);
            }
            return n;
        }

        /** A failed write is this machine's (a full disk), not a broken tarball: it must not read as the client's. */
        private void copy(byte[] b, int off, int n) {
            try {
                out.write(b, off, n);
            } catch (IOException e) {
                throw new BerthException(ErrorCategory.SYSTEM, "cannot keep a copy of the imported tar: " + e.getMessage(), e);
            }
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] buf = new byte[(int) Math.min(n, 64 * 1024)];
            int r = read(buf, 0, buf.length);
            return Math.max(r, 0);
        }

        @Override
        public boolean markSupported() {
            return false;
        }
    }
}
