package dev.berth.engine.containers;

import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Runs each running container's health check, as moby's health monitor: a probe every interval, in
 * the container through exec; "starting" until the first success, "healthy" after one, "unhealthy"
 * after {@code retries} failures in a row (failures inside the start period do not count). The state
 * shows in inspect ({@code State.Health}), in {@code docker ps} ("Up 3 minutes (healthy)") and as a
 * {@code health_status: …} event when it changes. It is kept in memory: a daemon restart starts
 * a running container's check again from "starting".
 */
final class HealthMonitor {
    private static final Logger LOG = Logger.getLogger(HealthMonitor.class.getName());
    /** moby's maxLogEntries and maxOutputLen. */
    static final int MAX_LOG = 5;
    static final int MAX_OUTPUT = 4096;

    private final ExecService execs;
    private final ContainerEvents events;
    private final Predicate<String> paused;
    private final Map<String, Health> health = new ConcurrentHashMap<>();

    HealthMonitor(ExecService execs, ContainerEvents events, Predicate<String> paused) {
        this.execs = execs;
        this.events = events;
        this.paused = paused;
    }

    private static final class Health {
        final HealthCheck check;
        final Instant started;
        volatile String status = "starting";
        volatile int failingStreak;
        final Deque<ExecService.ProbeResult> log = new ArrayDeque<>();
        volatile Thread thread;

        Health(HealthCheck check, Instant started) {
            this.check = check;
            this.started = started;
        }
    }

    /** Begins (again) from "starting"; a check already running for the container is stopped first. */
    void start(ContainerRecord r, HealthCheck check) {
        stop(r.id());
        Health h = new Health(check, Instant.now());
        health.put(r.id(), h);
        h.thread = Thread.ofVirtual().name("berth-health-" + r.id().substring(0, 12)).start(() -> run(r, h));
    }

    /** The container stopped: no more probes; its last state stays for inspect. */
    void stop(String id) {
        Health h = health.get(id);
        if (h != null && h.thread != null) {
            h.thread.interrupt();
        }
    }

    /** The daemon is closing: every probe loop ends. */
    void close() {
        health.keySet().forEach(this::stop);
    }

    void forget(String id) {
        stop(id);
        health.remove(id);
    }

    /** {@code State.Health}, or null when the container has no check. */
    Map<String, Object> inspect(String id) {
        Health h = health.get(id);
        if (h == null) {
            return null;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("Status", h.status);
        m.put("FailingStreak", h.failingStreak);
        List<Map<String, Object>> log = new ArrayList<>();
        synchronized (h.log) {
            for (ExecService.ProbeResult p : h.log) {
                Map<String, Object> e = new LinkedHashMap<>();
                e.put("Start", p.start().toString());
                e.put("End", p.end().toString());
                e.put("ExitCode", p.exitCode());
                e.put("Output", p.output());
                log.add(e);
            }
        }
        m.put("Log", log);
        return m;
    }

    /** What {@code docker ps} adds after "Up …": moby's Health.String. */
    String statusSuffix(String id) {
        Health h = health.get(id);
        if (h == null) {
            return "";
        }
        return h.status.equals("starting") ? " (health: starting)" : " (" + h.status + ")";
    }

    private void run(ContainerRecord r, Health h) {
        while (!Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(h.check.interval());
            } catch (InterruptedException e) {
                return;
            }
            if (paused.test(r.id())) {
                continue;
            }
            ExecService.ProbeResult result;
            try {
                result = execs.probe(r.id(), h.check.command(), h.check.timeout(), MAX_OUTPUT);
            } catch (IOException | RuntimeException e) {
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                // The container went away between two probes, or exec could not start: a failed probe.
                result = new ExecService.ProbeResult(Instant.now(), Instant.now(), -1, String.valueOf(e.getMessage()));
            }
            if (Thread.currentThread().isInterrupted()) {
                return;
            }
            record(r, h, result);
        }
    }

    private void record(ContainerRecord r, Health h, ExecService.ProbeResult result) {
        synchronized (h.log) {
            h.log.addLast(result);
            while (h.log.size() > MAX_LOG) {
                h.log.removeFirst();
            }
        }
        String before = h.status;
        if (result.exitCode() == 0) {
            h.failingStreak = 0;
            h.status = "healthy";
        } else if (!(before.equals("starting") && Instant.now().isBefore(h.started.plus(h.check.startPeriod())))) {
            h.failingStreak++;
            if (h.failingStreak >= h.check.retries()) {
                h.status = "unhealthy";
            }
        }
        if (!h.status.equals(before)) {
            LOG.log(Level.FINE, "container {0} is {1}", new Object[] {r.id(), h.status});
            events.emit(r, "health_status: " + h.status);
        }
    }
}
