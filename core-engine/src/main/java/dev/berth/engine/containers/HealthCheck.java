package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A container's health check: its {@code Config.Healthcheck}, into which create merged the image's
 * field by field, as moby does. {@code Test} is {@code ["NONE"]} to switch an image's check
 * off, {@code ["CMD", args...]} or {@code ["CMD-SHELL", command]}; durations are nanoseconds, zero
 * meaning the default.
 */
record HealthCheck(List<String> command, Duration interval, Duration timeout, Duration startPeriod, int retries) {
    static final Duration DEFAULT_INTERVAL = Duration.ofSeconds(30);
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
    static final int DEFAULT_RETRIES = 3;
    private static final Duration MINIMUM = Duration.ofMillis(1);

    /** moby's verifyContainerSettings for a create body's Healthcheck: Docker's 400s. */
    static void validate(JsonNode hc) {
        if (hc == null || !hc.isObject()) {
            return;
        }
        for (String f : List.of("Interval", "Timeout", "StartPeriod")) {
            long nanos = hc.path(f).asLong(0);
            if (nanos != 0 && nanos < MINIMUM.toNanos()) {
                throw BerthException.invalid(f + " in Healthcheck cannot be less than 1ms");
            }
        }
        if (hc.path("Retries").asInt(0) < 0) {
            throw BerthException.invalid("Retries in Healthcheck cannot be negative");
        }
    }

    /**
     * moby's merge at create: the image's check fills what the container's leaves out (all of it, or
     * the test and each zero field), so inspect shows the check that runs.
     */
    static void mergeImages(com.fasterxml.jackson.databind.node.ObjectNode config, Map<String, Object> image) {
        if (image == null || image.isEmpty()) {
            return;
        }
        JsonNode own = config.get("Healthcheck");
        com.fasterxml.jackson.databind.node.ObjectNode merged = own != null && own.isObject()
                ? (com.fasterxml.jackson.databind.node.ObjectNode) own : config.putObject("Healthcheck");
        for (Map.Entry<String, Object> e : image.entrySet()) {
            JsonNode mine = merged.get(e.getKey());
            boolean unset = mine == null || mine.isNull() || (mine.isArray() && mine.isEmpty())
                    || (mine.isNumber() && mine.asLong() == 0);
            if (unset) {
                merged.set(e.getKey(), dev.berth.images.Json.MAPPER.valueToTree(e.getValue()));
            }
        }
    }

    /**
     * @param hc    the container's {@code Config.Healthcheck}, its image's merged in (missing or null for none)
     * @param shell the container's {@code Shell} for CMD-SHELL (empty for /bin/sh -c)
     * @return empty when there is no check, or it is switched off
     */
    static Optional<HealthCheck> of(JsonNode hc, List<String> shell) {
        List<String> test = strings(hc.path("Test"));
        if (test.isEmpty() || test.getFirst().equals("NONE")) {
            return Optional.empty();
        }
        List<String> command = new ArrayList<>();
        switch (test.getFirst()) {
            case "CMD" -> command.addAll(test.subList(1, test.size()));
            case "CMD-SHELL" -> {
                command.addAll(shell.isEmpty() ? List.of("/bin/sh", "-c") : shell);
                command.add(String.join(" ", test.subList(1, test.size())));
            }
            default -> {
                return Optional.empty(); // moby logs "unknown healthcheck type" and runs none
            }
        }
        if (command.isEmpty()) {
            return Optional.empty();
        }
        int retries = hc.path("Retries").asInt(0);
        return Optional.of(new HealthCheck(List.copyOf(command), duration(hc, "Interval", DEFAULT_INTERVAL),
                duration(hc, "Timeout", DEFAULT_TIMEOUT), duration(hc, "StartPeriod", Duration.ZERO),
                retries > 0 ? retries : DEFAULT_RETRIES));
    }

    private static Duration duration(JsonNode hc, String field, Duration fallback) {
        long nanos = hc.path(field).asLong(0);
        return nanos > 0 ? Duration.ofNanos(nanos) : fallback;
    }

    private static List<String> strings(JsonNode n) {
        List<String> out = new ArrayList<>();
        if (n.isArray()) {
            n.forEach(x -> out.add(x.asText()));
        }
        return out;
    }

    /** Go's time.Duration String for the values a check takes: "30s", "200ms", "1m30s". */
    static String goString(Duration d) {
        long ms = d.toMillis();
        if (ms < 1000) {
            return ms + "ms";
        }
        long h = d.toHours();
        long m = d.toMinutesPart();
        String s = d.toSecondsPart() + (d.toMillisPart() == 0 ? "" : String.format(".%03d", d.toMillisPart()).replaceAll("0+$", "")) + "s";
        return (h > 0 ? h + "h" + m + "m" : m > 0 ? m + "m" : "") + s;
    }
}
