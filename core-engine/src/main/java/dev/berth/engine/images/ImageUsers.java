package dev.berth.engine.images;

import dev.berth.images.Digest;

import java.util.Optional;

/**
 * Who uses an image: the container backend answers, so the image backend can refuse to delete what a
 * container still runs on (moby's conflictHard and conflictSoft).
 */
@FunctionalInterface
public interface ImageUsers {
    ImageUsers NONE = id -> Optional.empty();

    record User(String containerId, boolean running) {
    }

    /** A container using {@code imageId}, a running one first if there is any. */
    Optional<User> firstUser(Digest imageId);
}
