package dev.berth.engine.containers;

import dev.berth.engine.format.Units;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Docker's view of a container's state (moby container/state.go): a paused or restarting container
 * counts as running, with its own status words.
 */
final class DockerState {
    static final String ZERO_TIME = "0001-01-01T00:00:00Z";

    private DockerState() {
    }

    /** Restarting is "running" to Docker: waiting out a backoff is part of staying up. */
    static boolean running(ContainerRecord r, LifecycleState ls) {
        return r.running() || ls.restarting();
    }

    /** moby State.StateString: created, running, paused, restarting, exited. */
    static String stateString(ContainerRecord r, LifecycleState ls) {
        if (r.running()) {
            return ls.paused() ? "paused" : "running";
        }
        if (ls.restarting()) {
            return "restarting";
        }
        return r.state().apiName();
    }

    /** moby State.String: what {@code docker ps} shows as STATUS. */
    static String status(ContainerRecord r, LifecycleState ls, Instant now) {
        if (r.running()) {
            String up = "Up " + Units.humanDuration(Duration.between(r.startedAt(), now));
            return ls.paused() ? up + " (Paused)" : up;
        }
        if (ls.restarting()) {
            return "Restarting (" + r.exitCode() + ") " + Units.humanDuration(Duration.between(r.finishedAt(), now)) + " ago";
        }
        return switch (r.state()) {
            case EXITED -> "Exited (" + r.exitCode() + ") " + Units.humanDuration(Duration.between(r.finishedAt(), now)) + " ago";
            default -> "Created";
        };
    }

    static Map<String, Object> inspect(ContainerRecord r, LifecycleState ls) {
        Map<String, Object> state = new LinkedHashMap<>();
        state.put("Status", stateString(r, ls));
        state.put("Running", running(r, ls));
        state.put("Paused", r.running() && ls.paused());
        state.put("Restarting", !r.running() && ls.restarting());
        state.put("OOMKilled", ls.oomKilled());
        state.put("Dead", false);
        state.put("Pid", r.running() ? r.pid() : 0);
        state.put("ExitCode", r.exitCode());
        state.put("Error", ls.error() == null ? "" : ls.error());
        state.put("StartedAt", r.startedAt() == null ? ZERO_TIME : r.startedAt().toString());
        state.put("FinishedAt", r.finishedAt() == null ? ZERO_TIME : r.finishedAt().toString());
        return state;
    }
}
