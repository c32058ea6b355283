package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Docker's restart decisions and backoff, with a scheduler the test runs by hand. */
class RestartManagerTest {
    /** Records what would run, and when; {@link #runAll} runs what was not cancelled. */
    static final class ManualScheduler implements RestartManager.Scheduler {
        record Task(Duration delay, Runnable task, boolean[] cancelled) {
        }

        final List<Task> tasks = new ArrayList<>();

        @Override
        public RestartManager.Cancellable schedule(Duration delay, Runnable task) {
            boolean[] cancelled = {false};
            Task t = new Task(delay, task, cancelled);
            tasks.add(t);
            return () -> {
                boolean was = !cancelled[0] && tasks.contains(t);
                cancelled[0] = true;
                return was;
            };
        }

        void runAll() {
            List<Task> now = List.copyOf(tasks);
            tasks.clear();
            now.stream().filter(t -> !t.cancelled()[0]).forEach(t -> t.task().run());
        }
    }

    static RestartPolicy policy(String name, int max) {
        return new RestartPolicy(name, max);
    }

    static final Duration SHORT = Duration.ofMillis(50);

    @Test
    void backoffDoublesFromAHundredMillisAndCapsAtAMinute() {
        RestartManager m = new RestartManager(new ManualScheduler());
        RestartPolicy always = policy(RestartPolicy.ALWAYS, 0);
        List<Long> delays = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            delays.add(m.onExit("c", always, 0, false, i, SHORT).orElseThrow().toMillis());
        }
        assertEquals(List.of(100L, 200L, 400L, 800L, 1600L, 3200L, 6400L, 12800L, 25600L, 51200L, 60000L, 60000L), delays);
    }

    @Test
    void aRunOfTenSecondsResetsTheBackoff() {
        RestartManager m = new RestartManager(new ManualScheduler());
        RestartPolicy always = policy(RestartPolicy.ALWAYS, 0);
        m.onExit("c", always, 1, false, 0, SHORT);
        m.onExit("c", always, 1, false, 1, SHORT);
        assertEquals(Optional.of(Duration.ofMillis(400)), m.onExit("c", always, 1, false, 2, Duration.ofSeconds(9)));
        assertEquals(Optional.of(Duration.ofMillis(100)), m.onExit("c", always, 1, false, 3, Duration.ofSeconds(10)));
    }

    @Test
    void policiesDecideAsDockersDo() {
        RestartManager m = new RestartManager(new ManualScheduler());
        assertEquals(Optional.empty(), m.onExit("no", policy(RestartPolicy.NO, 0), 1, false, 0, SHORT));
        assertTrue(m.onExit("a", policy(RestartPolicy.ALWAYS, 0), 0, true, 0, SHORT).isPresent(),
                "always restarts even after a manual stop flag (only the cancel stops it)");
        assertTrue(m.onExit("u", policy(RestartPolicy.UNLESS_STOPPED, 0), 0, false, 0, SHORT).isPresent());
        assertFalse(m.onExit("u2", policy(RestartPolicy.UNLESS_STOPPED, 0), 0, true, 0, SHORT).isPresent());
        RestartPolicy onFailure2 = policy(RestartPolicy.ON_FAILURE, 2);
        assertFalse(m.onExit("f", onFailure2, 0, false, 0, SHORT).isPresent(), "a clean exit is no failure");
        assertTrue(m.onExit("f", onFailure2, 3, false, 0, SHORT).isPresent());
        assertTrue(m.onExit("f", onFailure2, 3, false, 1, SHORT).isPresent());
        assertFalse(m.onExit("f", onFailure2, 3, false, 2, SHORT).isPresent(), "at most MaximumRetryCount restarts");
        assertTrue(m.onExit("f0", policy(RestartPolicy.ON_FAILURE, 0), 3, false, 1000, SHORT).isPresent(), "0 is no limit");
    }

    @Test
    void aUserStopCancelsUntilTheNextUserStart() {
        ManualScheduler s = new ManualScheduler();
        RestartManager m = new RestartManager(s);
        RestartPolicy always = policy(RestartPolicy.ALWAYS, 0);
        int[] starts = {0};
        m.schedule("c", m.onExit("c", always, 0, false, 0, SHORT).orElseThrow(), () -> starts[0]++);
        assertTrue(m.pending("c"));
        assertTrue(m.cancel("c"), "the pending restart is called off");
        s.runAll();
        assertEquals(0, starts[0]);
        assertEquals(Optional.empty(), m.onExit("c", always, 0, false, 0, SHORT), "cancelled until a user start");
        m.reset("c");
        m.schedule("c", m.onExit("c", always, 0, false, 0, SHORT).orElseThrow(), () -> starts[0]++);
        s.runAll();
        assertEquals(1, starts[0]);
        assertFalse(m.pending("c"));
    }

    @Test
    void validationUsesMobysMessages() throws Exception {
        assertEquals("invalid restart policy: maximum retry count can only be used with 'on-failure'",
                invalid("{\"RestartPolicy\":{\"Name\":\"always\",\"MaximumRetryCount\":3}}"));
        assertEquals("invalid restart policy: maximum retry count cannot be negative",
                invalid("{\"RestartPolicy\":{\"Name\":\"on-failure\",\"MaximumRetryCount\":-1}}"));
        assertEquals("invalid restart policy: unknown policy 'sometimes'; use one of 'no', 'always', 'on-failure', or 'unless-stopped'",
                invalid("{\"RestartPolicy\":{\"Name\":\"sometimes\"}}"));
        assertEquals("can't create 'AutoRemove' container with restart policy",
                invalid("{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"always\"}}"));
        RestartPolicy.validate(Json.MAPPER.readTree("{\"AutoRemove\":true,\"RestartPolicy\":{\"Name\":\"no\"}}"));
        RestartPolicy.validate(Json.MAPPER.readTree("{}"));
        assertEquals(new RestartPolicy("no", 0), RestartPolicy.of(Json.MAPPER.readTree("{\"RestartPolicy\":{\"Name\":\"\"}}")));
    }

    private static String invalid(String hostConfig) throws Exception {
        JsonNode hc = Json.MAPPER.readTree(hostConfig);
        return assertThrows(BerthException.class, () -> RestartPolicy.validate(hc)).getMessage();
    }
}
