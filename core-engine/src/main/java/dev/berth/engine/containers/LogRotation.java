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
    /** The options Docker's json-file driver accepts; the others Berth does not implement are ignored. */
    private static final Set<String> KNOWN = Set.of("max-file", "max-size", "compress", "labels", "labels-regex",
            "env", "env-regex", "tag");

    public static LogRotation of(JsonNode containerConfig) {
        JsonNode lc = containerConfig.path("HostConfig").path("LogConfig");
        String type = lc.path("Type").asText("");
        if (!(type.isEmpty() || type.equals("json-file") || type.equals("k8s-file") || type.equals("local"))) {
            return NONE;
        }
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
