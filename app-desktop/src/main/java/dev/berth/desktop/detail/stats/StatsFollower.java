package dev.berth.desktop.detail.stats;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.MessageStream;

import java.io.Closeable;
import java.util.function.Consumer;

/** Streams {@code GET /containers/{id}/stats} (one object a second) into samples, on its own thread. */
public final class StatsFollower implements Closeable {
    private final MessageStream<JsonNode> stream;
    private final Thread thread;
    private volatile boolean closed;

    private StatsFollower(MessageStream<JsonNode> stream, Consumer<StatsSample> onSample, Consumer<Throwable> onEnd) {
        this.stream = stream;
        this.thread = Thread.ofPlatform().daemon().name("berth-stats").unstarted(() -> {
            Throwable failure = null;
            try {
                while (stream.hasNext()) {
                    onSample.accept(StatsCalculator.sample(stream.next(), System.currentTimeMillis()));
                }
            } catch (RuntimeException e) {
                failure = closed ? null : e;
            } finally {
                onEnd.accept(failure);
            }
        });
    }

    public static StatsFollower start(ContainerClient client, String containerId, Consumer<StatsSample> onSample,
                                      Consumer<Throwable> onEnd) {
        StatsFollower f = new StatsFollower(client.stats(containerId, true, false), onSample, onEnd);
        f.thread.start();
        return f;
    }

    @Override
    public void close() {
        closed = true;
        stream.close();
    }
}
