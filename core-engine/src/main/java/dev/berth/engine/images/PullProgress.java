package dev.berth.engine.images;

import dev.berth.engine.format.Units;
import dev.berth.registry.ProgressEvent;
import dev.berth.registry.ProgressListener;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Turns the registry client's typed events into docker's progress messages, in docker's words. Byte
 * counts are throttled per layer so a fast local pull does not flood the client.
 */
final class PullProgress implements ProgressListener {
    private static final long MIN_INTERVAL_NANOS = 100_000_000L;

    private final Consumer<Map<String, Object>> sink;
    private final Set<String> hidden;
    private final boolean push;
    private final Map<String, Long> lastSent = new ConcurrentHashMap<>();

    /** @param hidden ids docker does not show (the config blob) */
    PullProgress(Consumer<Map<String, Object>> sink, Set<String> hidden, boolean push) {
        this.sink = sink;
        this.hidden = hidden;
        this.push = push;
    }

    @Override
    public void onProgress(String id, ProgressEvent event) {
        if (hidden.contains(id)) {
            return;
        }
        switch (event) {
            case ProgressEvent.Resolving r -> { }
            case ProgressEvent.Waiting w -> send(id, push ? "Preparing" : "Waiting");
            case ProgressEvent.Downloading d -> bytes(id, "Downloading", d.bytes(), d.total());
            case ProgressEvent.Verifying v -> send(id, "Verifying Checksum");
            case ProgressEvent.DownloadComplete c -> send(id, "Download complete");
            case ProgressEvent.AlreadyExists a -> send(id, push ? "Layer already exists" : "Already exists");
            case ProgressEvent.Pushing p -> bytes(id, "Pushing", p.bytes(), p.total());
            case ProgressEvent.PushComplete p -> send(id, "Pushed");
            case ProgressEvent.MountedFrom m -> send(id, "Mounted from " + m.repository());
            case ProgressEvent.Retrying r -> send(id, "Retrying (attempt " + r.attempt() + "): " + r.reason());
        }
    }

    void send(String id, String status) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("progressDetail", Map.of());
        m.put("id", id);
        sink.accept(m);
    }

    private void bytes(String id, String status, long current, long total) {
        long now = System.nanoTime();
        Long last = lastSent.get(id);
        if (last != null && now - last < MIN_INTERVAL_NANOS && current < total) {
            return;
        }
        lastSent.put(id, now);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("status", status);
        m.put("progressDetail", Map.of("current", current, "total", total));
        m.put("progress", Units.progressBar(current, total));
        m.put("id", id);
        sink.accept(m);
    }
}
