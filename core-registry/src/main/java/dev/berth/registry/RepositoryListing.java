package dev.berth.registry;

/**
 * The answer to "which repositories does this registry hold": a page of the catalog, or the
 * registry's refusal to list them (Docker Hub, and many hosted registries, refuse), in which case a
 * front end offers search by name instead.
 */
public sealed interface RepositoryListing {
    record Listed(Page<String> page) implements RepositoryListing {
    }

    /** {@code reason} is a plain sentence for the user. */
    record Refused(String reason) implements RepositoryListing {
    }
}
