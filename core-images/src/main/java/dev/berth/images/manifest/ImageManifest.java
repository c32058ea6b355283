package dev.berth.images.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

import java.util.List;
import java.util.Map;

/** A single-platform image manifest (Docker schema 2 or OCI). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageManifest(
        int schemaVersion,
        String mediaType,
        Descriptor config,
        List<Descriptor> layers,
        Map<String, String> annotations) implements ManifestContent {

    public static ImageManifest docker(Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, MediaTypes.DOCKER_MANIFEST, config, layers, null);
    }

    public static ImageManifest oci(Descriptor config, List<Descriptor> layers) {
        return new ImageManifest(2, MediaTypes.OCI_MANIFEST, config, layers, null);
    }
}
