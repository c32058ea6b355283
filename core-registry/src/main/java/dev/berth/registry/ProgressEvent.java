package dev.berth.registry;

import dev.berth.images.Digest;

/**
 * What happens to one layer (or manifest) during a pull or push, as typed values: the engine turns
 * them into Docker's JSON progress stream, the GUI into bars. Events for one id arrive in order, from
 * whichever thread moves that blob.
 */
public sealed interface ProgressEvent {
    record Resolving(String reference) implements ProgressEvent {
    }

    record Waiting() implements ProgressEvent {
    }

    record Downloading(long bytes, long total) implements ProgressEvent {
    }

    record Verifying() implements ProgressEvent {
    }

    record DownloadComplete() implements ProgressEvent {
    }

    record AlreadyExists() implements ProgressEvent {
    }

    record Pushing(long bytes, long total) implements ProgressEvent {
    }

    record PushComplete() implements ProgressEvent {
    }

    record MountedFrom(String repository) implements ProgressEvent {
    }

    /** A try failed and another follows; {@code attempt} is the one about to start. */
    record Retrying(int attempt, String reason) implements ProgressEvent {
    }

    /** The id Docker shows for a blob: the first 12 hex characters of its digest. */
    static String idOf(Digest d) {
        return d.shortHex();
    }
}
