package dev.berth.desktop.containers;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.berth.desktop.core.AppServices;
import dev.berth.desktop.detail.stats.StatsCalculator;
import dev.berth.desktop.ui.Sizes;
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
 * round asks the engine for one {@code one-shot} stats sample of at most {@link #MAX_CONTAINERS}
 * containers, one round at a time, in the background, through the connection's call path so a round
 * answered by an engine switched away from is dropped. One-shot answers at once (without it the engine
 * waits a stats interval per container for a CPU base, ~1 s each, in turn) but has no base either: CPU %
 * is docker's calculation over the CPU counters of this round and the round before, so a container's
 * first round gives it no point yet.
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
    /** Each sampled container's {@code cpu_stats} of the last round: the next round's CPU base. */
    private final Map<String, JsonNode> lastCpu = new HashMap<>();
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
        services.engine().call(client -> {
            ContainerClient c = client.containers();
            Map<String, JsonNode> out = new LinkedHashMap<>();
            for (String id : ids) {
                try (MessageStream<JsonNode> s = c.stats(id, false, true)) {
                    if (s.hasNext()) {
                        out.put(id, s.next());
                    }
                } catch (RuntimeException e) {
                    // gone or stopped meanwhile: no point this round
                }
            }
            return out;
        }, samples -> {
            sampling = false;
            Set<String> running = Set.copyOf(new ArrayList<>(runningIds));
            samples.forEach((id, n) -> {
                if (!n.path("cpu_stats").has("system_cpu_usage")) {
                    lastCpu.remove(id); // stopped meanwhile: its zeros are no base for a restart
                    return;
                }
                JsonNode base = lastCpu.put(id, n.path("cpu_stats"));
                if (base == null) {
                    return;
                }
                Deque<Point> d = history.computeIfAbsent(id, k -> new ArrayDeque<>());
                d.addLast(new Point(cpuPercent(n, base), StatsCalculator.memoryUsage(n)));
                while (d.size() > POINTS) {
                    d.removeFirst();
                }
            });
            history.keySet().retainAll(running);
            lastCpu.keySet().retainAll(running);
            version.set(version.get() + 1);
        }, e -> sampling = false, () -> sampling = false);
    }

    /** docker's CPU % of {@code sample} over the counters of {@code baseCpu}, an earlier sample's {@code cpu_stats}. */
    static double cpuPercent(JsonNode sample, JsonNode baseCpu) {
        ObjectNode n = sample.deepCopy();
        n.set("precpu_stats", baseCpu);
        return StatsCalculator.cpuPercent(n);
    }

    /** "12.3% · 4.5 MB": the newest point in words. */
    public static String label(List<Point> points) {
        if (points.isEmpty()) {
            return "";
        }
        Point p = points.getLast();
        return String.format("%.1f%% · %s", p.cpuPercent(), Sizes.human(p.memoryBytes()));
    }
}
