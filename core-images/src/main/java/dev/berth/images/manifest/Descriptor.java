package dev.berth.images.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.images.Digest;

import java.util.List;
import java.util.Map;

/** An OCI content descriptor: what a manifest or index says about a blob it points to. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@JsonIgnoreProperties(ignoreUnknown = true)
public record Descriptor(
        String mediaType,
        Digest digest,
        long size,
        List<String> urls,
        Map<String, String> annotations,
        Platform platform,
        String artifactType) {

    public static Descriptor of(String mediaType, Digest digest, long size) {
        return new Descriptor(mediaType, digest, size, null, null, null, null);
    }

    public Descriptor withPlatform(Platform p) {
        return new Descriptor(mediaType, digest, size, urls, annotations, p, artifactType);
    }

    /** Buildx and BuildKit attach attestations as index entries with this annotation or an unknown platform. */
    public boolean isAttestation() {
        if (annotations != null && "attestation-manifest".equals(annotations.get("vnd.docker.reference.type"))) {
            return true;
        }
        return platform != null && "unknown".equals(platform.os()) && "unknown".equals(platform.architecture());
    }
}
