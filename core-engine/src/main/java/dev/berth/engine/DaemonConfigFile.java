package dev.berth.engine;

import com.fasterxml.jackson.databind.JsonNode;
import dev.berth.errors.BerthException;
import dev.berth.images.Json;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The daemon's JSON configuration file, dockerd's {@code daemon.json}: the keys Berth's daemon has
 * ({@code insecure-registries}, {@code data-root}, {@code debug}) with dockerd's names. Other keys are
 * reported as ignored rather than refused, so a file copied from a Docker host still starts the engine.
 *
 * @param insecureRegistries null when the file does not set it
 * @param dataRoot           null when the file does not set it
 * @param debug              null when the file does not set it
 * @param ignored            keys Berth does not use
 */
public record DaemonConfigFile(List<String> insecureRegistries, String dataRoot, Boolean debug, List<String> ignored) {
    public static final DaemonConfigFile EMPTY = new DaemonConfigFile(null, null, null, List.of());

    /** Root reads {@code /etc/berth/daemon.json}; anyone else {@code $XDG_CONFIG_HOME/berth/daemon.json}, as rootless dockerd. */
    public static Path defaultPath(Map<String, String> env) {
        if (DaemonOptions.isRoot()) {
            return Path.of("/etc/berth/daemon.json");
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg)
                : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return base.resolve("berth").resolve("daemon.json");
    }

    /**
     * Reads {@code file}. A missing file is no configuration when it is the default one ({@code explicit}
     * false) and an error when it was named, as dockerd does.
     */
    public static DaemonConfigFile read(Path file, boolean explicit) {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            if (!explicit) {
                return EMPTY;
            }
            throw BerthException.invalid("unable to configure the Berth daemon with file " + file + ": open " + file
                    + ": no such file or directory");
        } catch (IOException e) {
            throw BerthException.invalid("unable to configure the Berth daemon with file " + file + ": " + e.getMessage());
        }
        if (text.isBlank()) {
            return EMPTY; // dockerd accepts an empty file
        }
        JsonNode root;
        try {
            root = Json.MAPPER.readTree(text);
        } catch (com.fasterxml.jackson.core.JacksonException e) {
            throw BerthException.invalid("unable to configure the Berth daemon with file " + file + ": "
                    + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw BerthException.invalid("unable to configure the Berth daemon with file " + file
                    + ": the file must hold a JSON object");
        }
        List<String> insecure = null;
        String dataRoot = null;
        Boolean debug = null;
        List<String> ignored = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "insecure-registries" -> {
                    if (!v.isArray()) {
                        throw wrongType(file, e.getKey(), "[]string");
                    }
                    insecure = new ArrayList<>();
                    for (JsonNode item : v) {
                        if (!item.isTextual()) {
                            throw wrongType(file, e.getKey(), "[]string");
                        }
                        insecure.add(item.asText());
                    }
                }
                case "data-root" -> {
                    if (!v.isTextual()) {
                        throw wrongType(file, e.getKey(), "string");
                    }
                    dataRoot = v.asText();
                }
                case "debug" -> {
                    if (!v.isBoolean()) {
                        throw wrongType(file, e.getKey(), "bool");
                    }
                    debug = v.asBoolean();
                }
                default -> ignored.add(e.getKey());
            }
        }
        return new DaemonConfigFile(insecure, dataRoot, debug, List.copyOf(ignored));
    }

    private static BerthException wrongType(Path file, String key, String type) {
        return BerthException.invalid("unable to configure the Berth daemon with file " + file + ": \"" + key
                + "\" must be a " + type);
    }
}
