package dev.berth.engine.images;

import dev.berth.images.Digest;

import java.util.List;

/** What the catalog knows of one image. The ID is the config digest, as in Docker. */
public record ImageRecord(
        Digest id,
        Digest manifestDigest,
        String manifestMediaType,
        String created,
        long size,
        long loadedAtMillis,
        List<Digest> diffIds,
        List<String> references) {

    public List<String> tags() {
        return references.stream().filter(r -> !r.contains("@")).toList();
    }

    public List<String> digestReferences() {
        return references.stream().filter(r -> r.contains("@")).toList();
    }
}
