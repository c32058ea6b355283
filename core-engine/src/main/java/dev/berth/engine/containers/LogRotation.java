package dev.berth.engine.containers;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.engine.format.Units;
import dev.berth.errors.BerthException;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code HostConfig.LogConfig}'s {@code max-size} and {@code max-file}, validated as moby's json-file
 * driver validates them (jsonfilelog.ValidateLogOpt and New): max-size through units.RAMInBytes
 * (binary multiples, "10m" is 10 MiB), max-file an integer of at least 1. conmon rotates at max-size
 * ({@code --log-size-max}); {@link dev.berth.engine.logs.RotatedLogKeeper} keeps max-file - 1 old files.
 *
 * @param maxSize  bytes, or -1 for no rotation
 * @param maxFiles the live log included
 */
public record LogRotation(long maxSize, int maxFiles) {
    public static final LogRotation NONE = new LogRotation(-1, 1);
    /** The drivers Berth writes a file for: "" is Docker's default, json-file. */
    private static final Set<String> FILE_DRIVERS = Set.of("", "json-file", "k8s-file", "local");
    /** The options Docker's json-file driver accepts; the others Berth does not implement are ignored. */
    private static final Set<String> KNOWN = Set.of("max-file", "max-size", "compress", "labels", "labels-regex",
            "env", "env-regex", "tag");

    /** Docker's other log drivers: known names, not implemented here. */
    private static final Set<String> OTHER_DOCKER_DRIVERS = Set.of("syslog", "journald", "gelf", "fluentd", "awslogs",
            "splunk", "etwlogs", "gcplogs", "logentries");

    private static String driver(JsonNode containerConfig) {
        return containerConfig.path("HostConfig").path("LogConfig").path("Type").asText("");
    }

    /** {@code --log-driver none}: Docker keeps nothing and {@code docker logs} refuses to read. */
    public static boolean readable(JsonNode containerConfig) {
        return !driver(containerConfig).equals("none");
    }

    /** At create: the log drivers Berth has, Docker's others as not supported, anything else moby's 400. */
    public static void validateDriver(JsonNode containerConfig) {
        String type = driver(containerConfig);
        if (OTHER_DOCKER_DRIVERS.contains(type)) {
            // Accepting it would keep the logs here while the user looks for them in syslog or journald.
            throw new BerthException(dev.berth.errors.ErrorCategory.NOT_IMPLEMENTED,
                    "log driver " + type + " is not supported by Berth yet; use json-file, local or none", null);
        }
        if (!type.equals("none") && !FILE_DRIVERS.contains(type)) {
            throw BerthException.invalid("logger: no log driver named '" + type + "' is registered");
        }
    }

    public static LogRotation of(JsonNode containerConfig) {
        if (!FILE_DRIVERS.contains(driver(containerConfig))) {
            return NONE;
        }
        JsonNode lc = containerConfig.path("HostConfig").path("LogConfig");
        JsonNode cfg = lc.path("Config");
        long size = -1;
        int files = 1;
        for (Iterator<Map.Entry<String, JsonNode>> it = cfg.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!KNOWN.contains(e.getKey())) {
                throw BerthException.invalid("unknown log opt '" + e.getKey() + "' for json-file log driver");
            }
        }
        if (cfg.has("max-size")) {
            try {
                size = Units.ramInBytes(cfg.path("max-size").asText());
            } catch (IllegalArgumentException e) {
                throw BerthException.invalid(e.getMessage());
            }
            if (size <= 0) {
                throw BerthException.invalid("max-size must be a positive number");
            }
        }
        if (cfg.has("max-file")) {
            String s = cfg.path("max-file").asText();
            try {
                files = Integer.parseInt(s);
            } catch (NumberFormatException e) {
                throw BerthException.invalid("strconv.Atoi: parsing \"" + s + "\": invalid syntax");
            }
            if (files < 1) {
                throw BerthException.invalid("max-file cannot be less than 1");
            }
        }
        return new LogRotation(size, files);
    }
}
