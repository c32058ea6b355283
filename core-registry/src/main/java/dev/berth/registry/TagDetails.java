package dev.berth.registry;

import dev.berth.images.Digest;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What a registry says about one tag, for browsing.
 *
 * @param digest    the digest the tag points at (of the index, for a multi-arch image)
 * @param mediaType that manifest's media type
 * @param size      compressed size of config plus layers of the image shown (for an index: its first
 *                  runnable platform), as Docker Hub's UI counts it
 * @param platforms {@code os/arch[/variant]} of each runnable entry of an index; empty for a single image
 * @param created   the config's {@code created}, when it has a parseable one
 */
public record TagDetails(String tag, Digest digest, String mediaType, long size, List<String> platforms,
                         Optional<Instant> created) {
    public TagDetails {
        platforms = List.copyOf(platforms);
    }

    public boolean isMultiPlatform() {
        return !platforms.isEmpty();
    }
}
