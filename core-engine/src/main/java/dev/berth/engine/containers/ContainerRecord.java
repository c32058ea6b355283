package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.time.Instant;

/**
 * One container as the catalog keeps it.
 *
 * @param config    {@code {"Config":…, "HostConfig":…, "Path":…, "Args":[…]}}: the create body as the
 *                  client sent it, plus the command resolved against the image, so inspect answers
 *                  without re-reading the image (which may since have been re-tagged)
 * @param startedAt null until the first start
 */
public record ContainerRecord(
        String id,
        String name,
        String imageId,
        String imageName,
        ObjectNode config,
        Instant created,
        State state,
        long pid,
        int exitCode,
        Instant startedAt,
        Instant finishedAt) {

    public enum State {
        CREATED, RUNNING, EXITED;

        public String apiName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean running() {
        return state == State.RUNNING;
    }

    public boolean tty() {
        return config.path("Config").path("Tty").asBoolean(false);
    }

    public ContainerRecord started(long newPid, Instant at) {
        return new ContainerRecord(id, name, imageId, imageName, config, created, State.RUNNING, newPid, 0, at, null);
    }

    public ContainerRecord exited(int code, Instant at) {
        return new ContainerRecord(id, name, imageId, imageName, config, created, State.EXITED, 0, code, startedAt, at);
    }
}
