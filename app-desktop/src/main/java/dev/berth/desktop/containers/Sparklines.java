package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.detail.stats.StatsCalculator;
import dev.berth.engine.client.ContainerClient;
import dev.berth.engine.client.MessageStream;
import javafx.beans.property.LongProperty;
import javafx.beans.property.SimpleLongProperty;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * CPU % and memory of the running containers, a few points each, for the table's sparklines. One
 * round asks the engine for one stats sample ({@code stream=false}, which carries the CPU counters of
 * the sample before, as {@code docker stats --no-stream} reads it) of at most {@link #MAX_CONTAINERS}
 * containers, one round at a time, in the background.
 */
public final class Sparklines {
    /** Points kept per container. */
    public static final int POINTS = 30;
    /** Containers sampled per round: a table of thousands must not cost thousands of requests a round. */
    public static final int MAX_CONTAINERS = 40;

    /** One point: CPU % and memory bytes. */
    public record Point(double cpuPercent, long memoryBytes) {
    }

    private final AppServices services;
    private final Map<String, Deque<Point>> history = new HashMap<>();
    private final LongProperty version = new SimpleLongProperty();
    private boolean sampling;

    public Sparklines(AppServices services) {
        this.services = services;
    }

    /** Bumped (on the UI thread) after each round: cells repaint. */
    public LongProperty versionProperty() {
        return version;
    }

    /** The points of a container, oldest first (UI thread). */
    public List<Point> of(String id) {
        Deque<Point> d = history.get(id);
        return d == null ? List.of() : List.copyOf(d);
    }

    /** Samples these running containers (UI thread; a round still under way makes this one a no-op). */
    public void sample(List<String> runningIds) {
        if (sampling || runningIds.isEmpty()) {
            return;
        }
        sampling = true;
        List<String> ids = List.copyOf(runningIds.subList(0, Math.min(MAX_CONTAINERS, runningIds.size())));
        services.ui().background(() -> {
            ContainerClient c = services.engine().client().containers();
            Map<String, Point> out = new LinkedHashMap<>();
            for (String id : ids) {
                try (MessageStream<JsonNode> s = c.stats(id, false, false)) {
                    if (s.hasNext()) {
                        JsonNode n = s.next();
                        out.put(id, new Point(StatsCalculator.cpuPercent(n), StatsCalculator.memoryUsage(n)));
                    }
                } catch (RuntimeException e) {
                    // gone or stopped meanwhile: no point this round
                }
            }
            return out;
        }, points -> {
            sampling = false;
            points.forEach((id, p) -> {
                Deque<Point> d = history.computeIfAbsent(id, k -> new ArrayDeque<>());
                d.addLast(p);
                while (d.size() > POINTS) {
                    d.removeFirst();
                }
            });
            history.keySet().retainAll(Set.copyOf(new ArrayList<>(runningIds)));
            version.set(version.get() + 1);
        }, e -> sampling = false);
    }

    /** "12.3% · 4.5 MB": the newest point in words. */
    public static String label(List<Point> points) {
        if (points.isEmpty()) {
            return "";
        }
        Point p = points.getLast();
        return String.format("%.1f%% · %s", p.cpuPercent(), mb(p.memoryBytes()));
    }

    static String mb(long bytes) {
        return bytes >= 1_000_000_000 ? String.format("%.1f GB", bytes / 1e9) : String.format("%.1f MB", bytes / 1e6);
    }
}
