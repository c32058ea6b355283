package dev.berth.registry;

/** Receives progress for one blob or manifest, keyed by its short digest (Docker's progress "id"). */
@FunctionalInterface
public interface ProgressListener {
    ProgressListener NONE = (id, event) -> {
    };

    void onProgress(String id, ProgressEvent event);
}
