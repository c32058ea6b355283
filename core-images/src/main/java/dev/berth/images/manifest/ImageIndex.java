package dev.berth.images.manifest;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.berth.errors.BerthException;
import dev.berth.errors.ErrorCategory;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A multi-platform index (OCI index or Docker manifest list). */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record ImageIndex(
        int schemaVersion,
        String mediaType,
        List<Descriptor> manifests,
        Map<String, String> annotations) implements ManifestContent {

    /** The first runnable manifest for {@code wanted}, skipping attestations and unknown media types. */
    public Optional<Descriptor> select(Platform wanted) {
        if (manifests == null) {
            return Optional.empty();
        }
        Descriptor fallback = null;
        for (Descriptor d : manifests) {
            if (d.isAttestation() || !(MediaTypes.isImageManifest(d.mediaType()) || MediaTypes.isIndex(d.mediaType()))) {
                continue;
            }
            if (d.platform() != null && wanted.matches(d.platform())) {
                // An exact variant match beats a variant-less one.
                if (d.platform().variant() == null || wanted.variant() == null
                        || d.platform().variant().equals(wanted.variant())) {
                    return Optional.of(d);
                }
                // Otherwise the newest compatible variant: an arm/v7 host takes v6 over v5.
                if (fallback == null || Platform.armLevel(d.platform().variant())
                        > Platform.armLevel(fallback.platform().variant())) {
                    fallback = d;
                }
            }
        }
        return Optional.ofNullable(fallback);
    }

    public Descriptor selectOrThrow(Platform wanted, String reference) {
        return select(wanted).orElseThrow(() -> new BerthException(ErrorCategory.NOT_FOUND,
                "no matching manifest for " + wanted + " in the manifest list entries of " + reference));
    }
}
