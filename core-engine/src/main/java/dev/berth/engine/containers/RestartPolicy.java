package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;

/**
 * {@code HostConfig.RestartPolicy}: Docker's four policies. The empty name is "no", as moby accepts it
 * for containers created before v25.
 */
public record RestartPolicy(String name, int maximumRetryCount) {
    public static final String NO = "no";
    public static final String ALWAYS = "always";
    public static final String ON_FAILURE = "on-failure";
    public static final String UNLESS_STOPPED = "unless-stopped";

    public static RestartPolicy of(JsonNode hostConfig) {
        JsonNode p = hostConfig.path("RestartPolicy");
        String name = p.path("Name").asText("");
        return new RestartPolicy(name.isEmpty() ? NO : name, p.path("MaximumRetryCount").asInt(0));
    }

    /** moby's ValidateRestartPolicy and its AutoRemove check, with their messages (400). */
    public static void validate(JsonNode hostConfig) {
        JsonNode p = hostConfig.path("RestartPolicy");
        String name = p.path("Name").asText("");
        int max = p.path("MaximumRetryCount").asInt(0);
        switch (name) {
            case NO, ALWAYS, UNLESS_STOPPED -> {
                if (max != 0) {
                    throw BerthException.invalid("invalid restart policy: maximum retry count can only be used with 'on-failure'"
                            + (max < 0 ? " and cannot be negative" : ""));
                }
            }
            case ON_FAILURE -> {
                if (max < 0) {
                    throw BerthException.invalid("invalid restart policy: maximum retry count cannot be negative");
                }
            }
            case "" -> {
                // Versions before v25 sent an empty name for "no".
            }
            default -> throw BerthException.invalid("invalid restart policy: unknown policy '" + name
                    + "'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'");
        }
        if (hostConfig.path("AutoRemove").asBoolean(false) && !name.isEmpty() && !name.equals(NO)) {
            throw BerthException.invalid("can't create 'AutoRemove' container with restart policy");
        }
    }

    public boolean isNone() {
        return name.equals(NO);
    }

    /**
     * moby restartmanager's decision, without the backoff: {@code manuallyStopped} is Docker's
     * HasBeenManuallyStopped (a user's stop or kill; "always" ignores it, as Docker does).
     */
    public boolean shouldRestart(int exitCode, boolean manuallyStopped, int restartCount) {
        return switch (name) {
            case ALWAYS -> true;
            case UNLESS_STOPPED -> !manuallyStopped;
            case ON_FAILURE -> exitCode != 0 && (maximumRetryCount == 0 || restartCount < maximumRetryCount);
            default -> false;
        };
    }
}
