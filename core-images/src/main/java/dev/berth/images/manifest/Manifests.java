package dev.berth.images.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;
import dev.berth.images.Json;

import java.io.IOException;

/** Parses manifest bytes, deciding the kind from the declared type and, failing that, the content. */
public final class Manifests {
    private Manifests() {
    }

    /**
     * @param contentType the Content-Type a registry sent, or null
     * @throws BerthException INVALID_ARGUMENT for malformed JSON, NOT_IMPLEMENTED for unsupported kinds
     */
    public static ManifestContent parse(byte[] bytes, String contentType) {
        JsonNode tree;
        try {
            tree = Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw BerthException.invalid("manifest invalid: not valid JSON: " + Json.describe(e));
        }
        if (tree == null || !tree.isObject()) {
            throw BerthException.invalid("manifest invalid: expected a JSON object");
        }
        String declared = tree.path("mediaType").asText(null);
        String type = declared != null ? declared : stripParams(contentType);
        if (type == null || !(MediaTypes.isIndex(type) || MediaTypes.isImageManifest(type))) {
            // OCI allows mediaType to be absent: judge by shape.
            if (tree.has("manifests")) {
                type = MediaTypes.OCI_INDEX;
            } else if (tree.has("layers") && tree.has("config")) {
                type = MediaTypes.OCI_MANIFEST;
            } else if (MediaTypes.isSchema1(type) || tree.path("schemaVersion").asInt() == 1) {
                throw new BerthException(ErrorCategory.NOT_IMPLEMENTED,
                        "manifest schema 1 is deprecated and not supported; push the image again with a current client");
            } else {
                throw BerthException.invalid("unsupported manifest media type \"" + type + "\"");
            }
        }
        try {
            if (MediaTypes.isIndex(type)) {
                ImageIndex index = Json.MAPPER.treeToValue(tree, ImageIndex.class);
                if (index.manifests() == null) {
                    throw BerthException.invalid("manifest invalid: index has no manifests");
                }
                for (Descriptor entry : index.manifests()) {
                    if (entry == null || entry.digest() == null) {
                        throw BerthException.invalid("manifest invalid: an index entry lacks a digest");
                    }
                }
                return new ImageIndex(index.schemaVersion(), type, index.manifests(), index.annotations());
            }
            ImageManifest m = Json.MAPPER.treeToValue(tree, ImageManifest.class);
            if (m.config() == null || m.config().digest() == null || m.layers() == null) {
                throw BerthException.invalid("manifest invalid: config and layers are required");
            }
            for (Descriptor layer : m.layers()) {
                if (layer == null || layer.digest() == null || layer.size() < 0) {
                    throw BerthException.invalid("manifest invalid: a layer descriptor lacks a digest or size");
                }
            }
            return new ImageManifest(m.schemaVersion(), type, m.config(), m.layers(), m.annotations());
        } catch (IOException e) {
            throw BerthException.invalid("manifest invalid: " + Json.describe(e));
        } catch (IllegalArgumentException e) {
            // Jackson wraps our validated-value exceptions (a bad digest string) in this.
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw BerthException.invalid("manifest invalid: " + cause.getMessage());
        }
    }

    static String stripParams(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return (semi < 0 ? contentType : contentType.substring(0, semi)).trim();
    }
}
